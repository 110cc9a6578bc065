/**
 * The environment for a PyTorch peer limited to `threads` threads. torch.set_num_threads alone
 * does not do it: Debian's python3-torch calls the system BLAS (OpenBLAS), whose own thread pool
 * takes every core (measured: CPU time = 2 x wall time at set_num_threads(1) on 2 cores).
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, OMP_WAIT_POLICY: 'PASSIVE' };
}
