/**
 * Where the time goes: wraps the active backend so that every kernel call is timed, then runs a
 * BERT-base forward, a GPT-2-small forward, or a GPT-2-small training step, and prints the time
 * per kernel (with GEMM split by shape) next to the wall time. What is not in a kernel is the
 * JavaScript around them (autograd, views, allocation).
 *
 *   node dist/scripts/profile-kernels.js bert|gpt2|gpt2-train [batch=1] [length=128] [layers=12]
 *
 * GPT-2 runs without dropout (as scripts/train-speed.ts) unless PROFILE_DROPOUT is set;
 * PROFILE_SHAPES=1 splits copy/assign/reduce by shape.
 */
import { AdamW, BertConfig, BertModel, GPT2Config, GPT2LMHeadModel, getBackend, manualSeed, nn, noGrad, randint, setBackend } from '../src/index.js';
import type { Backend, GemmArgs } from '../src/backend/types.js';

const [what = 'bert', batchArg = '1', lengthArg = '128', layersArg = '12'] = process.argv.slice(2);
const [batch, length, layers] = [Number(batchArg), Number(lengthArg), Number(layersArg)];

const totals = new Map<string, { ms: number; calls: number; flop: number }>();
function gemmKey(a: GemmArgs): string {
  const t = `${a.transA ? 'T' : 'N'}${a.transB ? 'T' : 'N'}`;
  return `gemm ${t} ${a.batch ?? 1}x${a.m}x${a.k}x${a.n}${a.bias ? '+bias' : ''}${a.activation ? '+' + a.activation : ''}`;
}
function profiled(inner: Backend): Backend {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const r = value.apply(target, args);
        const ms = performance.now() - t0;
        let key = String(prop);
        let flop = 0;
        if (prop === 'gemm') {
          const a = args[0] as GemmArgs;
          key = gemmKey(a);
          flop = 2 * (a.batch ?? 1) * a.m * a.n * a.k;
        } else if (prop === 'unary' || prop === 'binary') key = `${key} ${String(args[0])}`;
        else if (process.env.PROFILE_SHAPES && (prop === 'assign' || prop === 'copy' || prop === 'reduce')) {
          const v = args[prop === 'reduce' ? 1 : 0] as { shape: readonly number[]; strides: readonly number[] };
          key = `${key} [${v.shape.join(',')}] strides [${v.strides.join(',')}]`;
        }
        const e = totals.get(key) ?? { ms: 0, calls: 0, flop: 0 };
        e.ms += ms; e.calls++; e.flop += flop;
        totals.set(key, e);
        return r;
      };
    },
  });
}

manualSeed(0);
let step: () => void;
if (what === 'bert') {
  const model = nn.init.withoutInit(() => new BertModel(new BertConfig({ num_hidden_layers: layers }))).eval();
  for (const p of model.parameters()) nn.init.uniform_(p, -0.05, 0.05);
  const inputIds = randint(0, 30522, [batch, length]);
  step = () => noGrad(() => void model.forward({ inputIds }));
} else {
  const model = nn.init.withoutInit(() => new GPT2LMHeadModel(new GPT2Config({ n_layer: layers, ...(process.env.PROFILE_DROPOUT ? {} : { resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 }) })));
  for (const p of model.parameters()) nn.init.uniform_(p, -0.05, 0.05);
  const inputIds = randint(0, 50257, [batch, length]);
  if (what === 'gpt2-train') {
    model.train();
    const optimizer = new AdamW(model.parameters(), { lr: 1e-4 });
    step = () => {
      optimizer.zeroGrad();
      model.forward({ inputIds, labels: inputIds }).loss!.backward();
      optimizer.step();
    };
  } else {
    model.eval();
    step = () => noGrad(() => void model.forward({ inputIds }));
  }
}

step(); // warm-up
const plain = performance.now();
step();
const plainMs = performance.now() - plain;
setBackend(profiled(getBackend()));
const t0 = performance.now();
step();
const wall = performance.now() - t0;
const inKernels = [...totals.values()].reduce((s, e) => s + e.ms, 0);
console.log(`${what} ${batch}x${length}, ${layers} layers: ${plainMs.toFixed(0)} ms unprofiled, ${wall.toFixed(0)} ms profiled, ${inKernels.toFixed(0)} ms in kernels\n`);
console.log('| kernel | calls | ms | % of wall | GFLOP/s |\n|---|---:|---:|---:|---:|');
for (const [k, e] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
  if (e.ms < wall * 0.002) continue;
  const gflops = e.flop ? (e.flop / e.ms / 1e6).toFixed(1) : '';
  console.log(`| ${k} | ${e.calls} | ${e.ms.toFixed(1)} | ${((100 * e.ms) / wall).toFixed(1)} | ${gflops} |`);
}
console.log(`| (outside kernels) | | ${(wall - inKernels).toFixed(1)} | ${((100 * (wall - inKernels)) / wall).toFixed(1)} | |`);
