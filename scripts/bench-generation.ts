/**
 * `node dist/scripts/bench-generation.js`: generation speed of a GPT-2-small-shaped model
 * (12 layers, 768 wide, vocab 50257, random weights): greedy decoding of 128 new tokens after
 * a 32-token prompt, batch 1, with the key/value cache and without it, and the prefill time of
 * a 512-token prompt. Side by side, on the same weights, with PyTorch (python3 + torch, a
 * GPT-2 written out with a cache as transformers computes it) and llama.cpp through
 * node-llama-cpp 3.21.1 (float32 GGUF written by `kotoba export --format gguf`), when they are
 * installed; a missing peer is skipped with a message. node-llama-cpp is looked up in
 * $NODE_LLAMA_CPP_DIR or /tmp/peers (`npm i -E node-llama-cpp@3.21.1` there).
 *
 * Threads: KOTOBA_NUM_THREADS (default 1 here); the peers get the same count. Kotoba and the
 * peers alternate (A B C A B C) and medians are reported; only ratios within one run mean much.
 * Options: --rounds N (default 2), --new-tokens N (128), --prompt N (32), --prefill N (512).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { torchEnv } from './peer-env.js';

process.env.KOTOBA_NUM_THREADS ??= '1';
const k = await import('../src/index.js');
const { exportModel } = await import('../src/cli/export.js');

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROUNDS = arg('rounds', 2);
const NEW = arg('new-tokens', 128);
const PROMPT = arg('prompt', 32);
const PREFILL = arg('prefill', 512);
const NO_CACHE_NEW = Math.min(32, NEW);
const threads = k.backendInfo().threads;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ids = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (i * 7919 + seed * 104729) % 50257);
const prompt = ids(PROMPT, 1);
const longPrompt = ids(PREFILL, 2);

interface Timing {
  /** Time to the first new token (prefill of the prompt + 1 step), ms. */
  ttft: number;
  /** Decode rate after the first token, tokens/s. */
  decode: number;
  /** Decode rate without the cache (NO_CACHE_NEW tokens), tokens/s; NaN when not measured. */
  noCache: number;
  /** Forward time of the long prompt, ms. */
  prefill: number;
  tokens: number[];
}

// ---- Kotoba ----
console.log(`building a GPT-2-small-shaped model (random weights; backend ${JSON.stringify(k.backendInfo())}) ...`);
k.manualSeed(0);
const model = new k.GPT2LMHeadModel(new k.GPT2Config({})).eval();
const dir = mkdtempSync(join(tmpdir(), 'kotoba-bench-gen-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
model.savePretrained(join(dir, 'gpt2-small'));
const gguf = await exportModel(join(dir, 'gpt2-small'), { format: 'gguf', output: join(dir, 'gpt2-small.f32.gguf') });

function timeKotoba(): Timing {
  const stamps: number[] = [];
  const clock = { reason: 'stop' as const, isDone: (x: any) => { stamps.push(performance.now()); return new Array(x.shape[0]).fill(false); } };
  const t0 = performance.now();
  const out = k.generate(model, [prompt], { maxNewTokens: NEW, eosTokenId: null, stoppingCriteria: [clock] });
  const tokens = (out.toArray() as number[][])[0].slice(PROMPT);
  const n0 = performance.now();
  k.generate(model, [prompt], { maxNewTokens: NO_CACHE_NEW, eosTokenId: null, useCache: false });
  const noCache = NO_CACHE_NEW / ((performance.now() - n0) / 1000);
  const p0 = performance.now();
  k.noGrad(() => model.forward({ inputIds: [longPrompt], logitsToKeep: 1 }));
  const prefill = performance.now() - p0;
  return { ttft: stamps[0] - t0, decode: (NEW - 1) / ((stamps[stamps.length - 1] - stamps[0]) / 1000), noCache, prefill, tokens };
}

// ---- PyTorch: GPT-2 with a cache (torch.cat per step, as transformers' DynamicCache) ----
const PYTORCH = String.raw`
import json, math, struct, sys, time, torch
import torch.nn.functional as F
path, threads, prompt, long_prompt, new, no_cache_new = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
torch.set_num_threads(threads)
raw = open(path, 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]; header = json.loads(raw[8:8 + n]); base = 8 + n
W = {}
for key, v in header.items():
    if key == '__metadata__': continue
    a, b = v['data_offsets']
    W[key.replace('transformer.', '')] = torch.frombuffer(bytearray(raw[base + a:base + b]), dtype=torch.float32).view(v['shape'])
L, H, D = 12, 12, 768
def ln(x, p): return F.layer_norm(x, (D,), W[p + '.weight'], W[p + '.bias'], 1e-5)
def gelu(x): return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
def forward(ids, past):
    T = len(ids); p0 = 0 if past is None else past[0][0].shape[2]
    x = W['wte.weight'][torch.tensor([ids])] + W['wpe.weight'][p0:p0 + T]
    cache = []
    for i in range(L):
        g = lambda name: W['h.%d.%s' % (i, name)]
        q, k, v = (ln(x, 'h.%d.ln_1' % i) @ g('attn.c_attn.weight') + g('attn.c_attn.bias')).split(D, dim=2)
        q, k, v = [t.view(1, T, H, D // H).transpose(1, 2) for t in (q, k, v)]
        if past is not None: k = torch.cat([past[i][0], k], 2); v = torch.cat([past[i][1], v], 2)
        cache.append((k, v))
        a = q @ k.transpose(-1, -2) / math.sqrt(D // H)
        if T > 1: a = a.masked_fill(torch.ones(T, k.shape[2], dtype=torch.bool).triu(k.shape[2] - T + 1), float('-inf'))
        x = x + (a.softmax(-1) @ v).transpose(1, 2).reshape(1, T, D) @ g('attn.c_proj.weight') + g('attn.c_proj.bias')
        x = x + gelu(ln(x, 'h.%d.ln_2' % i) @ g('mlp.c_fc.weight') + g('mlp.c_fc.bias')) @ g('mlp.c_proj.weight') + g('mlp.c_proj.bias')
    return ln(x, 'ln_f')[:, -1] @ W['wte.weight'].t(), cache
with torch.inference_mode():
    forward(prompt[:4], None)
    t0 = time.perf_counter(); logits, past = forward(prompt, None); tok = int(logits.argmax()); t1 = time.perf_counter()
    tokens = [tok]
    for _ in range(new - 1):
        logits, past = forward([tok], past); tok = int(logits.argmax()); tokens.append(tok)
    t2 = time.perf_counter()
    seq = list(prompt)
    n0 = time.perf_counter()
    for _ in range(no_cache_new):
        logits, _ = forward(seq, None); seq.append(int(logits.argmax()))
    n1 = time.perf_counter()
    p0 = time.perf_counter(); forward(long_prompt, None); p1 = time.perf_counter()
print(json.dumps({'ttft': (t1 - t0) * 1000, 'decode': (new - 1) / (t2 - t1), 'noCache': no_cache_new / (n1 - n0), 'prefill': (p1 - p0) * 1000, 'tokens': tokens}))
`;

function findPython(): string | null {
  for (const exe of [process.env.PYTHON, '/usr/bin/python3', 'python3']) {
    if (exe && spawnSync(exe, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return exe;
  }
  return null;
}

function timePytorch(exe: string): Timing {
  const r = spawnSync(exe, ['-c', PYTORCH, join(dir, 'gpt2-small', 'model.safetensors'), String(threads), JSON.stringify(prompt), JSON.stringify(longPrompt), String(NEW), String(NO_CACHE_NEW)], {
    encoding: 'utf8', env: torchEnv(threads), maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`PyTorch run failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

// ---- llama.cpp through node-llama-cpp, in a child process ----
const LLAMA = String.raw`
const [lib, modelPath, threads, prompt, longPrompt, n] = [process.argv[2], process.argv[3], Number(process.argv[4]), JSON.parse(process.argv[5]), JSON.parse(process.argv[6]), Number(process.argv[7])];
const { getLlama, LlamaLogLevel } = await import(lib);
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: 1024, batchSize: 512, threads });
const seq = context.getSequence();
const t0 = performance.now();
const tokens = []; let first = 0;
for await (const t of seq.evaluate(prompt, { temperature: 0 })) { if (!first) first = performance.now(); tokens.push(t); if (tokens.length >= n) break; }
const t2 = performance.now();
await seq.clearHistory();
const p0 = performance.now(); await seq.evaluateWithoutGeneratingNewTokens(longPrompt); const p1 = performance.now();
console.log(JSON.stringify({ ttft: first - t0, decode: (n - 1) / ((t2 - first) / 1000), noCache: NaN, prefill: p1 - p0, tokens }));
process.exit(0);
`;

function findLlama(): string | null {
  for (const base of [process.env.NODE_LLAMA_CPP_DIR, '/tmp/peers']) {
    if (!base) continue;
    for (const p of [join(base, 'node_modules', 'node-llama-cpp', 'dist', 'index.js'), join(base, 'dist', 'index.js')]) if (existsSync(p)) return pathToFileURL(p).href;
  }
  return null;
}

function timeLlama(lib: string): Timing {
  const script = join(dir, 'llama-bench.mjs');
  writeFileSync(script, LLAMA);
  const r = spawnSync(process.execPath, [script, lib, gguf, String(threads), JSON.stringify(prompt), JSON.stringify(longPrompt), String(NEW)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`llama.cpp run failed: ${(r.stderr || r.stdout).slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

// ---- run, alternating ----
const python = findPython();
const llamaLib = findLlama();
const notes: string[] = [];
if (!python) notes.push('PyTorch: no python3 with torch (apt-get install -y python3-torch), skipped');
if (!llamaLib) notes.push('llama.cpp: node-llama-cpp not found in $NODE_LLAMA_CPP_DIR or /tmp/peers (npm i -E node-llama-cpp@3.21.1 there), skipped');
const runs: Record<string, Timing[]> = { Kotoba: [], PyTorch: [], 'llama.cpp f32': [] };
for (let round = 0; round < ROUNDS; round++) {
  console.log(`round ${round + 1}/${ROUNDS} ...`);
  runs.Kotoba.push(timeKotoba());
  if (python) {
    try { runs.PyTorch.push(timePytorch(python)); } catch (e) { notes.push(String(e)); }
  }
  if (llamaLib) {
    try { runs['llama.cpp f32'].push(timeLlama(llamaLib)); } catch (e) { notes.push(String(e)); }
  }
}

const peers = Object.keys(runs).filter((p) => runs[p].length > 0);
const med = (p: string, f: keyof Omit<Timing, 'tokens'>) => median(runs[p].map((t) => t[f]));
const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const rows: [string, keyof Omit<Timing, 'tokens'>, number][] = [
  [`decode tokens/s, cache (prompt ${PROMPT}, ${NEW} new, batch 1)`, 'decode', 1],
  [`time to first token, ${PROMPT}-token prompt (ms)`, 'ttft', 0],
  [`decode tokens/s without cache (${NO_CACHE_NEW} new)`, 'noCache', 2],
  [`prefill ${PREFILL} tokens (ms)`, 'prefill', 0],
];
console.log(`\n### Generation, GPT-2 small shape, ${threads} thread(s), medians of ${ROUNDS} round(s)\n`);
console.log(`| | ${peers.join(' | ')} |${peers.slice(1).map((p) => ` Kotoba / ${p} |`).join('')}`);
console.log(`|---|${peers.map(() => '---|').join('')}${peers.slice(1).map(() => '---|').join('')}`);
for (const [label, field, digits] of rows) {
  const values = peers.map((p) => med(p, field));
  const ratios = peers.slice(1).map((p) => {
    const r = field === 'decode' || field === 'noCache' ? med('Kotoba', field) / med(p, field) : med(p, field) / med('Kotoba', field);
    return Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a';
  });
  console.log(`| ${label} | ${values.map((v) => fmt(v, digits)).join(' | ')} |${ratios.map((r) => ` ${r} |`).join('')}`);
}
console.log('\n(ratios > 1 mean Kotoba is faster)');
for (const p of peers.slice(1)) {
  const a = runs.Kotoba[0].tokens;
  const b = runs[p][0].tokens;
  let same = 0;
  while (same < Math.min(a.length, b.length) && a[same] === b[same]) same++;
  console.log(`greedy tokens identical to ${p} for the first ${same} of ${a.length}`);
}
for (const n of notes) console.log(`note: ${n}`);
