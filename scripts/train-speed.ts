/**
 * Tokens per second of one training step (forward, backward, AdamW step) of a GPT-2-small-shaped
 * model (12 layers, 768 wide, 12 heads, vocabulary 50257, tied embeddings) on a batch of 4 x 128
 * tokens, side by side with PyTorch CPU (Debian's python3-torch, when /usr/bin/python3 has it) at
 * the same thread count. A real-run number for docs/training.md, not a test.
 *
 *   KOTOBA_NUM_THREADS=1 node --no-concurrent-marking dist/scripts/train-speed.js [steps=3] [layers=12] [rounds=2]
 *
 * (--no-concurrent-marking: scripts/node-flags.ts; the header says which flags the run had.)
 *
 * The machine's speed drifts from one minute to the next, so the two alternate: each round times
 * `steps` PyTorch steps, then `steps` Kotoba steps; tokens/s come from the median step.
 */
import { spawnSync } from 'node:child_process';
import { AdamW, GPT2Config, GPT2LMHeadModel, Generator, Tensor, backendInfo, manualSeed } from '../src/index.js';
import { torchEnv } from './peer-env.js';

const steps = Number(process.argv[2] ?? 3);
const layers = Number(process.argv[3] ?? 12);
const rounds = Number(process.argv[4] ?? 2);
const [batch, length, vocab, width, heads] = [4, 128, 50257, 768, 12];
const threads = backendInfo().threads ?? 1;

/** The same step in PyTorch: GPT-2 written out (pre-LN blocks, gelu_new, tied lm head). */
const TORCH_STEP = String.raw`
import json, math, sys, time, torch
import torch.nn as nn, torch.nn.functional as F
threads, steps, L, B, T, V, D, H = map(int, sys.argv[1:9])
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
times = []
for i in range(steps + 1):
    t0 = time.perf_counter(); opt.zero_grad(); loss = m(ids); loss.backward(); opt.step()
    if i > 0: times.append(time.perf_counter() - t0)
print(json.dumps(times))
`;

function torchStepSeconds(): number[] | string {
  const r = spawnSync('/usr/bin/python3', ['-c', TORCH_STEP, ...[threads, steps, layers, batch, length, vocab, width, heads].map(String)], {
    encoding: 'utf8', env: torchEnv(threads),
  });
  if (r.error || r.status !== 0) return `PyTorch not available (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
}

/** The PyTorch model above has no dropout, so neither does Kotoba's here: the same computation. */
const NO_DROPOUT = { resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 };

/** The Kotoba model, built once; each call runs one untimed step (as PyTorch's round does) and times `n`. */
function kotobaStepper(): (n: number) => number[] {
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
  return (n) => {
    step();
    return Array.from({ length: n }, step);
  };
}

const tokens = batch * length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)] + s[Math.floor(s.length / 2)]) / 2;
};
const rate = (times: number[][]) => tokens / median(times.flat());
const show = (times: number[][]) => times.map((r) => r.map((t) => t.toFixed(2)).join(', ')).join(' / ');
const kotobaSteps = kotobaStepper();
const torch: number[][] = [];
const kotoba: number[][] = [];
let torchError = '';
for (let r = 0; r < rounds; r++) {
  if (!torchError) {
    const t = torchStepSeconds();
    if (typeof t === 'string') torchError = t; // not installed: say so once, keep timing Kotoba
    else torch.push(t);
  }
  kotoba.push(kotobaSteps(steps));
}
const nodeFlags = process.execArgv.length ? `node ${process.execArgv.join(' ')}` : 'node without flags';
console.log(`GPT-2-small-shaped training step (${layers} layers, batch ${batch} x ${length}), ${threads} thread(s), ${nodeFlags}, ${rounds} rounds of ${steps} timed steps (PyTorch, then Kotoba), each round of each side after one untimed step; tokens/s from the median step`);
console.log(`| | step seconds (rounds split by /) | tokens/s |\n|---|---:|---:|`);
console.log(`| Kotoba (${backendInfo().name}${backendInfo().isa ? ' ' + backendInfo().isa : ''}) | ${show(kotoba)} | ${rate(kotoba).toFixed(1)} |`);
if (torchError) console.log(`| PyTorch CPU | ${torchError} | |`);
else console.log(`| PyTorch CPU (${threads} thread(s)) | ${show(torch)} | ${rate(torch).toFixed(1)} |\n\nKotoba / PyTorch: ${(rate(kotoba) / rate(torch)).toFixed(2)}x`);
