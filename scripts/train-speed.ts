/**
 * Tokens per second of one training step (forward, backward, AdamW step) of a GPT-2-small-shaped
 * model (12 layers, 768 wide, 12 heads, vocabulary 50257, tied embeddings) on a batch of 4 x 128
 * tokens, side by side with PyTorch CPU (Debian's python3-torch, when /usr/bin/python3 has it) at
 * the same thread count. A real-run number for docs/training.md, not a test.
 *
 *   KOTOBA_NUM_THREADS=1 node --no-concurrent-marking dist/scripts/train-speed.js [steps=6] [layers=12] [warmup=2]
 *
 * (--no-concurrent-marking: scripts/node-flags.ts; the header says which flags the run had.)
 *
 * The machine's speed drifts from one minute to the next, so the two alternate step by step:
 * PyTorch runs in a child process that stays up and takes a step when asked, each side after
 * `warmup` untimed steps, with a pause before each step so that the other side's threads are
 * asleep. Tokens/s come from each side's median step; the ratio also from the median of the pairs.
 *
 * Two warm-up steps, not one, because both sides' second step is still slow: it touches memory
 * the process has not used yet (Kotoba's, on this VM, ~200 k page faults and ~2.6 s of system
 * time after PyTorch's first step; PyTorch's second step was 8.5-10 s against 7-8 after). A
 * training run is thousands of steps, so the figure of interest is the steady one.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AdamW, GPT2Config, GPT2LMHeadModel, Generator, Tensor, backendInfo, manualSeed } from '../src/index.js';
import { describeNodeFlags } from './node-flags.js';
import { torchBlasWarning, torchEnv } from './peer-env.js';

const steps = Number(process.argv[2] ?? 6);
const layers = Number(process.argv[3] ?? 12);
const warmup = Math.max(1, Number(process.argv[4] ?? 2)); // the first untimed step of each side always runs
const [batch, length, vocab, width, heads] = [4, 128, 50257, 768, 12];
const threads = backendInfo().threads ?? 1;
/** Debian's python3-torch lives in the system Python. */
const python = '/usr/bin/python3';

/** The same step in PyTorch: GPT-2 written out (pre-LN blocks, gelu_new, tied lm head). */
const TORCH_STEP = String.raw`
import json, math, sys, time, torch
import torch.nn as nn, torch.nn.functional as F
threads, L, B, T, V, D, H = map(int, sys.argv[1:8])
torch.set_num_threads(threads); torch.manual_seed(0)
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1, s.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        s.attn, s.proj, s.fc, s.out = nn.Linear(D, 3 * D), nn.Linear(D, D), nn.Linear(D, 4 * D), nn.Linear(4 * D, D)
    def forward(s, x):
        q, k, v = s.attn(s.ln1(x)).view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4)
        a = (q @ k.transpose(-1, -2) / math.sqrt(D // H)).masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float('-inf'))
        x = x + s.proj((a.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D))
        return x + s.out(F.gelu(s.fc(s.ln2(x)), approximate='tanh'))
class GPT2(nn.Module):
    def __init__(s):
        super().__init__(); s.wte, s.wpe = nn.Embedding(V, D), nn.Embedding(1024, D)
        s.h = nn.ModuleList([Block() for _ in range(L)]); s.ln_f = nn.LayerNorm(D)
    def forward(s, ids):
        x = s.wte(ids) + s.wpe(torch.arange(T))
        for b in s.h: x = b(x)
        logits = s.ln_f(x) @ s.wte.weight.t()
        return F.cross_entropy(logits[:, :-1].reshape(-1, V), ids[:, 1:].reshape(-1))
m = GPT2().train(); opt = torch.optim.AdamW(m.parameters(), lr=1e-4); ids = torch.randint(0, V, (B, T))
def step():
    t0 = time.perf_counter(); opt.zero_grad(); loss = m(ids); loss.backward(); opt.step()
    return time.perf_counter() - t0
step()
print('ready', flush=True)
for line in sys.stdin:
    if line.strip() != 'step': break
    print(json.dumps(step()), flush=True)
`;

/** PyTorch in a child process that takes one step per request and answers its seconds; a string when it cannot start. */
async function torchStepper(): Promise<{ step: () => Promise<number>; close: () => void } | string> {
  const child = spawn(python, ['-c', TORCH_STEP, ...[threads, layers, batch, length, vocab, width, heads].map(String)], {
    env: torchEnv(threads), stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string | null> => {
    const r = await lines.next();
    return r.done ? null : String(r.value);
  };
  const failed = new Promise<null>((resolve) => child.on('error', () => resolve(null)));
  const first = await Promise.race([next(), failed]);
  if (first !== 'ready') {
    child.kill();
    return `PyTorch not available (${stderr.trim().split('\n').pop() || 'python3 did not start'})`;
  }
  return {
    step: async () => {
      child.stdin.write('step\n');
      const line = await next();
      if (line === null) throw new Error(`the PyTorch process ended: ${stderr.trim().split('\n').pop()}`);
      return Number(JSON.parse(line));
    },
    close: () => { child.stdin.end(); },
  };
}

/** The PyTorch model above has no dropout, so neither does Kotoba's here: the same computation. */
const NO_DROPOUT = { resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 };

/** The Kotoba model, built once; returns its step (seconds). */
function kotobaStepper(): () => number {
  manualSeed(0);
  const model = new GPT2LMHeadModel(new GPT2Config({ n_layer: layers, n_embd: width, n_head: heads, vocab_size: vocab, n_positions: 1024, ...NO_DROPOUT }));
  model.train();
  const optimizer = new AdamW(model.parameters(), { lr: 1e-4 });
  const g = new Generator(1);
  const ids = Tensor.fromArray(Int32Array.from({ length: batch * length }, () => g.randint(0, vocab)), [batch, length]);
  const step = (): number => {
    const t0 = performance.now();
    optimizer.zeroGrad();
    model.forward({ inputIds: ids, labels: ids }).loss!.backward();
    optimizer.step();
    return (performance.now() - t0) / 1000;
  };
  return step;
}

const tokens = batch * length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)] + s[Math.floor(s.length / 2)]) / 2;
};
const rate = (times: number[]) => tokens / median(times);
const show = (times: number[]) => times.map((t) => t.toFixed(2)).join(', ');
// PyTorch's OpenMP workers keep a core busy for ~100-105 ms after a step before they sleep
// (two threads; /proc/<pid>/task/*/schedstat sampled every 10 ms), Kotoba's pool for 1 ms: the
// pause before each step outlasts both, so neither side's spin lands on the other's step.
const pause = () => new Promise((resolve) => setTimeout(resolve, 250));
// said at once too: on the reference BLAS, PyTorch's steps take minutes and the run looks stuck
const blasWarning = torchBlasWarning(python);
if (blasWarning) console.error(blasWarning);
const kotobaStep = kotobaStepper();
const torchSide = await torchStepper(); // not installed: say so, keep timing Kotoba
const torch: number[] = [];
const kotoba: number[] = [];
kotobaStep(); // PyTorch's first untimed step ran before it said it was ready
for (let i = 1 - warmup; i < steps; i++) {
  if (typeof torchSide !== 'string') {
    await pause();
    const seconds = await torchSide.step();
    if (i >= 0) torch.push(seconds);
  }
  await pause();
  const seconds = kotobaStep();
  if (i >= 0) kotoba.push(seconds);
}
if (typeof torchSide !== 'string') torchSide.close();
console.log(`GPT-2-small-shaped training step (${layers} layers, batch ${batch} x ${length}), ${threads} thread(s), ${describeNodeFlags()}; ${steps} steps each, alternated step by step (PyTorch, then Kotoba), after ${warmup} untimed step(s) each; tokens/s from the median step`);
console.log(`| | step seconds | tokens/s |\n|---|---:|---:|`);
console.log(`| Kotoba (${backendInfo().name}${backendInfo().isa ? ' ' + backendInfo().isa : ''}) | ${show(kotoba)} | ${rate(kotoba).toFixed(1)} |`);
if (typeof torchSide === 'string') console.log(`| PyTorch CPU | ${torchSide} | |`);
else {
  const pairs = torch.map((t, i) => t / kotoba[i]);
  console.log(`| PyTorch CPU (${threads} thread(s)) | ${show(torch)} | ${rate(torch).toFixed(1)} |\n`);
  console.log(`Kotoba / PyTorch: ${(rate(kotoba) / rate(torch)).toFixed(2)}x from the medians, ${median(pairs).toFixed(2)}x the median of the ${pairs.length} pairs (${Math.min(...pairs).toFixed(2)}-${Math.max(...pairs).toFixed(2)})`);
  if (blasWarning) console.log(`\n${blasWarning}`);
}
