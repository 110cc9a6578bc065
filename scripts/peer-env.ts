import { spawnSync } from 'node:child_process';

/**
 * The environment for a PyTorch peer limited to `threads` threads. torch.set_num_threads alone
 * does not do it: Debian's python3-torch calls the system BLAS (OpenBLAS), whose own thread pool
 * takes every core (measured: CPU time = 2 x wall time at set_num_threads(1) on 2 cores).
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, OMP_WAIT_POLICY: 'PASSIVE' };
}

/**
 * A warning when `python`'s PyTorch multiplies float32 matrices at under 20 GFLOP/s on one
 * thread, or null. Debian's python3-torch is built with BLAS_INFO=generic and calls whatever
 * libblas.so.3 the system's alternatives point to: with only the reference BLAS there (no
 * libopenblas0-pthread), a 512 x 768 x 3072 product ran at 6 GFLOP/s instead of 93 on a Zen 4
 * core, and such a peer is no comparison at all. Measured rather than looked up: which library is
 * loaded does not say which one answers (OpenBLAS's LAPACK can be loaded beside the reference BLAS).
 */
export function torchBlasWarning(python: string): string | null {
  const probe = [
    'import time, torch',
    'torch.set_num_threads(1); a = torch.randn(512, 512); a @ a; best = 1e9',
    'for _ in range(5):',
    '    t = time.perf_counter(); a @ a; best = min(best, time.perf_counter() - t)',
    'print(2 * 512 ** 3 / best / 1e9)',
  ].join('\n');
  const r = spawnSync(python, ['-c', probe], { encoding: 'utf8', env: torchEnv(1) });
  const gflops = Number(r.stdout?.trim());
  if (r.status !== 0 || !Number.isFinite(gflops) || gflops >= 20) return null;
  return `PyTorch: its float32 products run at ${gflops.toFixed(1)} GFLOP/s on one thread, the speed of the reference BLAS; install an optimized one (apt-get install -y libopenblas0-pthread) before comparing`;
}
