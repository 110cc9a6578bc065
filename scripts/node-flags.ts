/**
 * Node flags for Kotoba's own long runs (`npm start`, `npm run bench`): V8's concurrent marking
 * runs the garbage collector's marking in background threads, which on a machine whose cores
 * all run Kotoba's kernel threads take a core from them. Tensors are typed arrays, so a forward
 * pass or a training step allocates enough memory to start a full collection every ~100 ms.
 * With the flag, marking runs in steps on the main thread. Measured on the 2-core VM, two
 * threads, alternated in one sitting: BERT-base 1 x 128 forward 0.76-0.82x onnxruntime's speed
 * without it, 0.83-0.90x with it; GPT-2-small training step 3.2-3.8 s without, 2.8-3.2 s with.
 * One thread: no difference outside the noise. It must be given on the command line (not in
 * NODE_OPTIONS, which refuses it; setting it at run time can abort V8). See docs/native.md.
 */
export const NODE_FLAGS = ['--no-concurrent-marking'];

/** The node flags this process runs with, for a benchmark's header. */
export function describeNodeFlags(): string {
  return process.execArgv.length ? `node ${process.execArgv.join(' ')}` : 'node without flags';
}
