/**
 * `node dist/scripts/bench-models.js`: forward time of a BERT-base-shaped model (12 layers, 768
 * hidden, batch 1 and 8, sequence 128) and of a GPT-2-small-shaped LM (128 tokens), random
 * weights, on the active backend, side by side with PyTorch CPU (python3 + torch) and
 * onnxruntime-node when they are installed (a peer that is not is skipped with a message).
 *
 * The machine's speed drifts, so the sides alternate and medians are reported; only the ratios
 * in one run mean much. onnxruntime runs in this process, so Kotoba and it alternate in short
 * blocks of forwards run back to back (each side's own after-work, a thread pool's spin or a
 * garbage collection, falls in its own block, as when a program runs one model); PyTorch runs
 * in a child process, once per round. Options: --runs N blocks per side and round (default 5),
 * --block N forwards per block (3), --rounds N (2). `npm run bench` starts this script with the node flags of
 * scripts/node-flags.ts; the header says which flags this process has.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendInfo, BertConfig, BertModel, GPT2Config, GPT2LMHeadModel, manualSeed, nn, noGrad, randint, type Module, type Tensor } from '../src/index.js';
import { describeNodeFlags } from './node-flags.js';
import { torchBlasWarning, torchEnv } from './peer-env.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 5);
const BLOCK = arg('block', 3);
const ROUNDS = arg('rounds', 2);

interface Workload {
  name: string;
  model: 'bert' | 'gpt2';
  batch: number;
  length: number;
}

const WORKLOADS: Workload[] = [
  { name: 'BERT-base forward, 1 x 128', model: 'bert', batch: 1, length: 128 },
  { name: 'BERT-base forward, 8 x 128', model: 'bert', batch: 8, length: 128 },
  { name: 'GPT-2 small forward (with LM head), 1 x 128', model: 'gpt2', batch: 1, length: 128 },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- Kotoba ----

/** Uniform random weights (the values do not change the speed; normal draws of 250M values take long). */
function randomize<M extends Module>(model: M): M {
  for (const p of model.parameters()) nn.init.uniform_(p, -0.05, 0.05);
  return model.eval();
}

function kotobaModels(): { bert: BertModel; gpt2: GPT2LMHeadModel } {
  manualSeed(0);
  // transformers' default configs are bert-base-uncased's and gpt2 (small)'s shapes
  const bert = randomize(nn.init.withoutInit(() => new BertModel(new BertConfig({}))));
  const gpt2 = randomize(nn.init.withoutInit(() => new GPT2LMHeadModel(new GPT2Config({}))));
  return { bert, gpt2 };
}

/** One Kotoba forward of the workload (inputs drawn once per workload). */
function kotobaForward(models: ReturnType<typeof kotobaModels>, w: Workload): () => void {
  const vocab = w.model === 'bert' ? 30522 : 50257;
  const inputIds: Tensor = randint(0, vocab, [w.batch, w.length]);
  return () => void noGrad(() => (w.model === 'bert' ? models.bert.forward({ inputIds }).lastHiddenState : models.gpt2.forward({ inputIds }).logits));
}

// ---- PyTorch (python3 + torch), the same architectures written out in a few lines ----

const PYTORCH_SCRIPT = String.raw`
import json, math, sys, time, torch
import torch.nn as nn, torch.nn.functional as F
threads, runs, workloads, onnx_dir = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
torch.set_num_threads(threads); torch.manual_seed(0)
class Attn(nn.Module):
    def __init__(s, d, h, causal):
        super().__init__(); s.h, s.causal = h, causal; s.qkv = nn.Linear(d, 3 * d); s.o = nn.Linear(d, d)
    def forward(s, x):
        B, T, D = x.shape; q, k, v = s.qkv(x).view(B, T, 3, s.h, D // s.h).permute(2, 0, 3, 1, 4)
        a = q @ k.transpose(-1, -2) / math.sqrt(D // s.h)
        if s.causal: a = a.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float('-inf'))
        return s.o((a.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D))
class Block(nn.Module):
    def __init__(s, d, h, causal):
        super().__init__(); s.causal = causal; s.a = Attn(d, h, causal); s.n1 = nn.LayerNorm(d); s.n2 = nn.LayerNorm(d)
        s.f1 = nn.Linear(d, 4 * d); s.f2 = nn.Linear(4 * d, d)
    def forward(s, x):
        if s.causal:  # GPT-2: pre-LN, gelu_new
            x = x + s.a(s.n1(x)); return x + s.f2(F.gelu(s.f1(s.n2(x)), approximate='tanh'))
        x = s.n1(x + s.a(x)); return s.n2(x + s.f2(F.gelu(s.f1(x))))  # BERT: post-LN
class Model(nn.Module):
    def __init__(s, vocab, pos, d, h, L, causal):
        super().__init__(); s.causal = causal; s.wte = nn.Embedding(vocab, d); s.wpe = nn.Embedding(pos, d)
        s.tt = nn.Embedding(2, d); s.ln = nn.LayerNorm(d); s.blocks = nn.ModuleList([Block(d, h, causal) for _ in range(L)])
        s.pool = nn.Linear(d, d)
    def forward(s, ids):
        T = ids.shape[1]; pos = torch.arange(T).unsqueeze(0)
        if s.causal:
            x = s.wte(ids) + s.wpe(pos)
            for b in s.blocks: x = b(x)
            return s.ln(x) @ s.wte.weight.t()
        x = s.ln(s.wte(ids) + s.tt(torch.zeros_like(ids)) + s.wpe(pos))
        for b in s.blocks: x = b(x)
        return x, torch.tanh(s.pool(x[:, 0]))
models = {'bert': Model(30522, 512, 768, 12, 12, False).eval(), 'gpt2': Model(50257, 1024, 768, 12, 12, True).eval()}
out = []
with torch.no_grad():
    for w in workloads:
        m = models[w['model']]; ids = torch.randint(0, 30000, (w['batch'], w['length'])); m(ids)
        ts = []
        for _ in range(runs):
            t0 = time.perf_counter(); m(ids); ts.append((time.perf_counter() - t0) * 1000)
        out.append(ts)
        if onnx_dir != '-':
            torch.onnx.export(m, (ids,), onnx_dir + '/' + w['model'] + str(w['batch']) + '.onnx', input_names=['ids'], opset_version=14)
print(json.dumps(out))
`;

/** The first Python that has torch (Debian's python3-torch lives in /usr/bin/python3). */
function findPython(): string | null {
  for (const exe of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(exe, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return exe;
  }
  return null;
}

function timePytorch(exe: string, threads: number, runs: number, onnxDir: string | null): number[][] | string {
  const r = spawnSync(exe, ['-c', PYTORCH_SCRIPT, String(threads), String(runs), JSON.stringify(WORKLOADS), onnxDir ?? '-'], {
    encoding: 'utf8', env: torchEnv(threads), maxBuffer: 1 << 24,
  });
  if (r.status !== 0) return `PyTorch run failed: ${r.stderr.trim().split('\n').slice(-1)[0]}`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

// ---- onnxruntime-node, on models exported by the PyTorch script ----

async function loadOnnxRuntime(): Promise<any> {
  try {
    return await import('onnxruntime-node' as string);
  } catch {
    return null;
  }
}

/** One onnxruntime forward per workload, on the exported models; a string when there are none. */
async function onnxForwards(ort: any, onnxDir: string, threads: number): Promise<{ forwards: (() => Promise<void>)[]; release: () => Promise<void> } | string> {
  const sessions: any[] = [];
  const forwards: (() => Promise<void>)[] = [];
  for (const w of WORKLOADS) {
    const file = join(onnxDir, `${w.model}${w.batch}.onnx`);
    if (!existsSync(file)) return 'no ONNX export (needs python3 + torch), skipped';
    const session = await ort.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1 });
    sessions.push(session);
    const ids = new ort.Tensor('int64', BigInt64Array.from({ length: w.batch * w.length }, (_, i) => BigInt((i * 7919) % 30000)), [w.batch, w.length]);
    forwards.push(async () => void (await session.run({ ids })));
  }
  return { forwards, release: async () => { for (const s of sessions) await s.release(); } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until this process's threads are idle (under 1 ms of CPU in 10 ms). Thread pools spin for
 * a while after their work before they sleep, on the cores the other side needs: onnxruntime's
 * workers keep a core busy for 40-50 ms after a run (measured here with /proc's per-thread
 * times), so forward-by-forward alternation with 20 ms pauses let them take a share of the next
 * Kotoba forward (BERT-base 1 x 128 on two threads, Kotoba / onnxruntime speed: 0.83x after 5 ms
 * pauses, 0.87-0.89x after 20 ms, 0.94-1.00x after 50 ms, 0.97-1.13x after 100 ms).
 */
async function untilQuiet(): Promise<void> {
  for (let waited = 0; waited < 1000; waited += 10) {
    const before = process.cpuUsage();
    await sleep(10);
    const used = process.cpuUsage(before);
    if (used.user + used.system < 1000) return;
  }
}

/**
 * Per-forward times (block time / forwards) of `runs` blocks of `block` forwards of each side,
 * the sides alternating block by block, after one untimed forward each. Each block starts once
 * the other side's threads have gone to sleep (untilQuiet); within a block, a side's forwards run
 * back to back, so what one forward leaves behind (a collection V8 runs later, threads spinning)
 * is paid inside its own block.
 */
async function alternate(sides: (() => void | Promise<void>)[], runs: number, block: number): Promise<number[][]> {
  for (const f of sides) await f();
  const times = sides.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (let s = 0; s < sides.length; s++) {
      await untilQuiet();
      const t0 = performance.now();
      for (let b = 0; b < block; b++) await sides[s]();
      times[s].push((performance.now() - t0) / block);
    }
  }
  return times;
}

// ---- main ----

const info = backendInfo();
console.log(`Kotoba backend: ${info.name} (${info.isa}, ${info.threads} threads), ${describeNodeFlags()}; ${ROUNDS} rounds of ${RUNS} blocks of ${BLOCK} forwards per side (PyTorch: ${RUNS} forwards per round), medians\n`);
const models = kotobaModels();
const pythonExe = findPython();
const hasTorch = pythonExe !== null;
const onnxRuntime = await loadOnnxRuntime();
// the ONNX models for onnxruntime are exported by the PyTorch script
const onnxDir = hasTorch && onnxRuntime ? mkdtempSync(join(tmpdir(), 'kotoba-bench-onnx-')) : null;
const kotoba: number[][] = WORKLOADS.map(() => []);
const torch: number[][] = WORKLOADS.map(() => []);
const ort: number[][] = WORKLOADS.map(() => []);
const notes: string[] = [];
if (!hasTorch) notes.push('PyTorch: python3 with torch is not installed (apt-get install -y python3-torch), skipped');
const blasWarning = hasTorch ? torchBlasWarning(pythonExe!) : null;
if (blasWarning) notes.push(blasWarning);
if (!onnxRuntime) notes.push('onnxruntime-node: not installed (ONNXRUNTIME_NODE_INSTALL=skip npm i --no-save onnxruntime-node), skipped');
else if (!hasTorch) notes.push('onnxruntime-node: the ONNX export needs python3 + torch, skipped');
const kotobaRuns = WORKLOADS.map((w) => kotobaForward(models, w));
let onnx: Awaited<ReturnType<typeof onnxForwards>> | null = null;
for (let round = 0; round < ROUNDS; round++) {
  if (hasTorch) {
    const t = timePytorch(pythonExe!, info.threads, RUNS, round === 0 ? onnxDir : null);
    if (typeof t === 'string') notes.push(t);
    else t.forEach((xs, i) => torch[i].push(...xs));
  }
  if (round === 0 && onnxDir) {
    onnx = await onnxForwards(onnxRuntime, onnxDir, info.threads);
    if (typeof onnx === 'string') notes.push(`onnxruntime-node: ${onnx}`);
  }
  const onnxRuns = onnx && typeof onnx !== 'string' ? onnx.forwards : null;
  for (let i = 0; i < WORKLOADS.length; i++) {
    const [k, o] = await alternate(onnxRuns ? [kotobaRuns[i], onnxRuns[i]] : [kotobaRuns[i]], RUNS, BLOCK);
    kotoba[i].push(...k);
    if (o) ort[i].push(...o);
  }
}
if (onnx && typeof onnx !== 'string') await onnx.release();
if (onnxDir) rmSync(onnxDir, { recursive: true, force: true });

const cell = (xs: number[], w: Workload) => (xs.length ? `${median(xs).toFixed(0)} ms (${((w.batch * w.length) / (median(xs) / 1000)).toFixed(0)} tok/s)` : '—');
const ratio = (a: number[], b: number[]) => (a.length && b.length ? `${(median(b) / median(a)).toFixed(2)}x` : '—');
console.log('| workload | Kotoba | PyTorch CPU | onnxruntime-node | Kotoba speed vs PyTorch | vs onnxruntime |');
console.log('|---|---|---|---|---|---|');
WORKLOADS.forEach((w, i) => {
  console.log(`| ${w.name} | ${cell(kotoba[i], w)} | ${cell(torch[i], w)} | ${cell(ort[i], w)} | ${ratio(kotoba[i], torch[i])} | ${ratio(kotoba[i], ort[i])} |`);
});
for (const n of notes) console.log(`\n${n}`);
console.log('\n(ratio > 1: Kotoba is faster)');
