/**
 * Matrix multiply throughput of each available backend (GFLOP/s), square sizes 256, 512, 1024:
 * the TypeScript reference kernels are the baseline the native kernels are measured against.
 */
import { nativeBackend, referenceBackend, type Backend } from '../src/backend/index.js';

function gflops(backend: Backend, n: number, minSeconds: number): number {
  const a = new Float32Array(n * n).map(() => Math.random() - 0.5);
  const b = new Float32Array(n * n).map(() => Math.random() - 0.5);
  const c = new Float32Array(n * n);
  const run = () => backend.gemm({
    batch: 1, m: n, n, k: n, transA: false, transB: false,
    a, aOffset: 0, lda: n, strideA: 0, b, bOffset: 0, ldb: n, strideB: 0, c, cOffset: 0, ldc: n, strideC: 0, alpha: 1, beta: 0,
  });
  run(); // warm up
  let reps = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    run();
    reps++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < minSeconds);
  return (2 * n * n * n * reps) / elapsed / 1e9;
}

const backends: Backend[] = [referenceBackend];
const native = nativeBackend();
if (native) backends.push(native);
console.log('| backend | isa | threads | 256 | 512 | 1024 |');
console.log('|---|---|---|---|---|---|');
for (const b of backends) {
  const row = [256, 512, 1024].map((n) => gflops(b, n, b === referenceBackend ? 1 : 0.5).toFixed(2));
  console.log(`| ${b.name} | ${b.isa} | ${b.threads} | ${row.join(' | ')} |`);
}
console.log('(GFLOP/s of C = A B, float32, square sizes)');
