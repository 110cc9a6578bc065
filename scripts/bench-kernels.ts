/**
 * Kernel benchmark: `node dist/scripts/bench-kernels.js [--quick]`.
 *
 * 1. Measures the FMA peak of the active ISA with a small native kernel (1 and 2 threads).
 * 2. SGEMM GFLOP/s and % of that peak at square sizes and the transformer shapes, for 1 and 2
 *    threads, next to OpenBLAS (through a small C harness compiled here when libopenblas-dev is
 *    installed, run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset so that it may use its
 *    AVX-512 kernels) and the TypeScript backend (small sizes only).
 * 3. Fused attention against the unfused version (two batched SGEMMs and a softmax, with the
 *    full probability matrix) at sequence 128, 512, 2048: time and extra memory.
 *
 * The host's speed drifts, so Kotoba and OpenBLAS alternate (A B A B ...) and medians are
 * reported; only ratios within one run mean anything.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeBackend, referenceBackend } from '../src/backend/index.js';
import { measureFmaPeak, setNumThreads } from '../src/backend/native.js';
import type { AttentionArgs, Backend, GemmArgs, StridedView } from '../src/backend/types.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const MIN_SECONDS = quick ? 0.05 : 0.25;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Mean seconds per call of fn over at least `minSeconds` (after one warm-up call). */
function timeCall(fn: () => void, minSeconds = MIN_SECONDS): number {
  fn();
  let calls = 0;
  const t0 = performance.now();
  let dt = 0;
  do { fn(); calls++; dt = (performance.now() - t0) / 1e3; } while (dt < minSeconds);
  return dt / calls;
}

function rand(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5;
  return a;
}

interface Shape { name: string; m: number; n: number; k: number; transB: boolean }

function gemmArgs(s: Shape, a: Float32Array, b: Float32Array, c: Float32Array): GemmArgs {
  return {
    batch: 1, m: s.m, n: s.n, k: s.k, transA: false, transB: s.transB,
    a, aOffset: 0, lda: s.k, strideA: 0, b, bOffset: 0, ldb: s.transB ? s.k : s.n, strideB: 0,
    c, cOffset: 0, ldc: s.n, strideC: 0, alpha: 1, beta: 0,
  };
}

function gemmGflops(backend: Backend, s: Shape): number {
  const a = rand(s.m * s.k), b = rand(s.k * s.n), c = new Float32Array(s.m * s.n);
  const args = gemmArgs(s, a, b, c);
  return (2 * s.m * s.n * s.k) / timeCall(() => backend.gemm(args)) / 1e9;
}

// ---- OpenBLAS harness ------------------------------------------------------------------------

const HARNESS = `
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
/* usage: harness m n k transB minSeconds; prints GFLOP/s (mean over >= minSeconds after a warm-up) */
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char** argv) {
  int m = atoi(argv[1]), n = atoi(argv[2]), k = atoi(argv[3]), tb = atoi(argv[4]);
  double minSeconds = atof(argv[5]);
  float* a = malloc(sizeof(float) * m * k); float* b = malloc(sizeof(float) * k * n); float* c = malloc(sizeof(float) * m * n);
  for (long i = 0; i < (long)m * k; i++) a[i] = (float)rand() / RAND_MAX - 0.5f;
  for (long i = 0; i < (long)k * n; i++) b[i] = (float)rand() / RAND_MAX - 0.5f;
  #define CALL cblas_sgemm(CblasRowMajor, CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, k, b, tb ? k : n, 0.0f, c, n)
  CALL;
  long calls = 0; double t0 = now(), dt;
  do { CALL; calls++; dt = now() - t0; } while (dt < minSeconds);
  printf("%f\\n", 2.0 * m * n * k * calls / dt / 1e9);
  return 0;
}
`;

/** Compiles the harness when OpenBLAS's headers and library are installed; returns its path or why not. */
function buildHarness(): { path: string } | { error: string } {
  const header = ['/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/cblas.h', '/usr/include/openblas/cblas.h'].find(existsSync);
  if (!header) return { error: 'libopenblas-dev is not installed (apt-get install -y libopenblas-dev)' };
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-blas-'));
  writeFileSync(join(dir, 'harness.c'), HARNESS);
  try {
    execFileSync('cc', ['-O2', '-o', join(dir, 'harness'), join(dir, 'harness.c'), '-lopenblas'], { stdio: 'pipe' });
  } catch (e) {
    return { error: `the OpenBLAS harness did not compile: ${(e as Error).message.split('\n')[0]}` };
  }
  return { path: join(dir, 'harness') };
}

function blasGflops(harness: string, s: Shape, threads: number): number {
  const env: Record<string, string | undefined> = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE; // the machine's default forces AVX2 kernels (BENCHMARKING.md)
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(harness, [s.m, s.n, s.k, s.transB ? 1 : 0, MIN_SECONDS].map(String), { env, encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : NaN;
}

// ---- attention -------------------------------------------------------------------------------

const HEADS = 12, HEAD_DIM = 64;

function attentionSetup(seq: number) {
  const n = HEADS * seq * HEAD_DIM;
  const view = (data: Float32Array): StridedView<Float32Array> =>
    ({ data, offset: 0, shape: [1, HEADS, seq, HEAD_DIM], strides: [n, seq * HEAD_DIM, HEAD_DIM, 1] });
  return { q: view(rand(n)), k: view(rand(n)), v: view(rand(n)), out: view(new Float32Array(n)), lse: new Float32Array(HEADS * seq) };
}

/** The unfused version: S = scale Q K^T (batched over heads), P = softmax(S), O = P V. */
function unfused(b: Backend, seq: number, x: ReturnType<typeof attentionSetup>, p: Float32Array, softmax: boolean): void {
  const common = { batch: HEADS, alpha: 1, beta: 0, transA: false };
  b.gemm({ ...common, m: seq, n: seq, k: HEAD_DIM, transB: true, alpha: 1 / Math.sqrt(HEAD_DIM),
    a: x.q.data, aOffset: 0, lda: HEAD_DIM, strideA: seq * HEAD_DIM, b: x.k.data, bOffset: 0, ldb: HEAD_DIM, strideB: seq * HEAD_DIM,
    c: p, cOffset: 0, ldc: seq, strideC: seq * seq });
  if (softmax) b.softmax(p, HEADS * seq, seq, p, false);
  b.gemm({ ...common, m: seq, n: HEAD_DIM, k: seq, transB: false,
    a: p, aOffset: 0, lda: seq, strideA: seq * seq, b: x.v.data, bOffset: 0, ldb: HEAD_DIM, strideB: seq * HEAD_DIM,
    c: x.out.data, cOffset: 0, ldc: HEAD_DIM, strideC: seq * HEAD_DIM });
}

function fusedArgs(seq: number, x: ReturnType<typeof attentionSetup>): AttentionArgs {
  return { batch: 1, heads: HEADS, tq: seq, tk: seq, headDim: HEAD_DIM, ...x, scale: 1 / Math.sqrt(HEAD_DIM), causal: false };
}

/**
 * Peak extra memory of one variant, measured in a fresh child process: the growth of its RSS
 * over one call, beyond the inputs and outputs both variants share.
 */
function extraMemoryMB(variant: 'fused' | 'unfused', seq: number, threads: number): number {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [self, '--memory-child', variant, String(seq), String(threads)], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : NaN;
}

function memoryChild(variant: string, seq: number, threads: number): void {
  const nb = nativeBackend()!;
  setNumThreads(threads);
  // warm up on a small problem so that code and thread stacks are in place
  const small = attentionSetup(64);
  nb.attention(fusedArgs(64, small));
  unfused(nb, 64, small, new Float32Array(HEADS * 64 * 64), true);
  const x = attentionSetup(seq);
  x.out.data.fill(1); // touch the output's pages now: both variants write it, it is not extra memory
  x.lse.fill(1);
  // RSS right after the call: the fused kernel's scratch stays allocated and the unfused
  // version's probability matrix is still held here, so this is each one's peak extra memory.
  // (Not maxRSS: a child process inherits its parent's peak through exec.)
  const before = process.memoryUsage.rss();
  let p: Float32Array | null = null;
  if (variant === 'fused') nb.attention(fusedArgs(seq, x));
  else unfused(nb, seq, x, (p = new Float32Array(HEADS * seq * seq)), true);
  const after = process.memoryUsage.rss();
  console.log(((after - before) / 2 ** 20).toFixed(1));
  if (p) p[0] = 0; // the matrix is held until measured
}

// ---- report ----------------------------------------------------------------------------------

function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

function main(): void {
  const nb = nativeBackend();
  if (!nb) {
    console.log('The native kernels are not available; nothing to benchmark.');
    return;
  }
  console.log(`# Kotoba kernel benchmark — ISA ${nb.isa}, ${new Date().toISOString()}\n`);
  const threadCounts = [1, 2];
  const peak: Record<number, number> = {};
  for (const t of threadCounts) {
    setNumThreads(t);
    peak[t] = median(Array.from({ length: 3 }, () => measureFmaPeak(0.2)));
  }
  console.log('## FMA peak, measured\n');
  console.log('| threads | GFLOP/s |\n|---|---|');
  for (const t of threadCounts) console.log(`| ${t} | ${fmt(peak[t])} |`);

  const blas = buildHarness();
  if ('error' in blas) console.log(`\nOpenBLAS skipped: ${blas.error}`);
  const shapes: Shape[] = [
    ...[256, 512, 1024, 2048].map((s) => ({ name: `${s}^3`, m: s, n: s, k: s, transB: false })),
    ...[128, 512].flatMap((m) => [768, 3072].flatMap((n) => [false, true].map((transB) =>
      ({ name: `${m}x768x${n}${transB ? ' B^T' : ''}`, m, n, k: 768, transB })))),
  ].filter((s) => !quick || s.m * s.n * s.k <= 512 ** 3);

  console.log('\n## SGEMM, GFLOP/s (% of the measured FMA peak at that thread count); OpenBLAS ratio = Kotoba / OpenBLAS\n');
  const cols = threadCounts.map((t) => `Kotoba T${t} | OpenBLAS T${t} | ratio T${t}`).join(' | ');
  console.log(`| shape | ${cols} | TypeScript T1 |`);
  console.log(`|---|${threadCounts.map(() => '---|---|---|').join('')}---|`);
  for (const s of shapes) {
    const cells: string[] = [];
    for (const t of threadCounts) {
      const ours: number[] = [], theirs: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        setNumThreads(t);
        ours.push(gemmGflops(nb, s));
        if ('path' in blas) theirs.push(blasGflops(blas.path, s, t));
      }
      const k = median(ours), o = 'path' in blas ? median(theirs) : NaN;
      cells.push(`${fmt(k)} (${fmt((100 * k) / peak[t], 0)}%)`, 'path' in blas ? fmt(o) : '—', 'path' in blas ? `${fmt(k / o, 2)}x` : '—');
    }
    const ts = s.m * s.n * s.k <= 128 * 768 * 768 ? fmt(gemmGflops(referenceBackend, s), 2) : '—';
    console.log(`| ${s.name} | ${cells.join(' | ')} | ${ts} |`);
  }

  console.log(`\n## Attention forward, ${HEADS} heads x ${HEAD_DIM}, no mask (2 threads): fused (online softmax) vs unfused (SGEMM, softmax, SGEMM)\n`);
  console.log('| seq | fused ms | unfused ms | the two SGEMMs alone ms | fused / two SGEMMs | fused extra MB | unfused extra MB |');
  console.log('|---|---|---|---|---|---|---|');
  setNumThreads(2);
  for (const seq of quick ? [128, 512] : [128, 512, 2048]) {
    const x = attentionSetup(seq);
    const p = new Float32Array(HEADS * seq * seq);
    const f: number[] = [], u: number[] = [], g: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      f.push(timeCall(() => nb.attention(fusedArgs(seq, x))));
      u.push(timeCall(() => unfused(nb, seq, x, p, true)));
      g.push(timeCall(() => unfused(nb, seq, x, p, false)));
    }
    const [fm, um, gm] = [median(f), median(u), median(g)].map((s) => s * 1e3);
    console.log(`| ${seq} | ${fmt(fm, 2)} | ${fmt(um, 2)} | ${fmt(gm, 2)} | ${fmt(fm / gm, 2)}x | ${fmt(extraMemoryMB('fused', seq, 2))} | ${fmt(extraMemoryMB('unfused', seq, 2))} |`);
  }
}

const childAt = process.argv.indexOf('--memory-child');
if (childAt >= 0) memoryChild(process.argv[childAt + 1], Number(process.argv[childAt + 2]), Number(process.argv[childAt + 3]));
else main();
