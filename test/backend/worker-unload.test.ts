/**
 * The addon loaded only by a worker thread: when the worker ends, Node would unload the library
 * while the kernel thread pool still runs its code (a crash seen as SIGSEGV in example 3 under
 * load). The library pins itself; a process that used the kernels only from workers lives on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { nativeBackend } from '../../src/backend/index.js';

const backendUrl = pathToFileURL(resolve('dist/src/backend/index.js')).href;

const child = `
const { Worker } = require('node:worker_threads');
const code = \`
  import(${JSON.stringify(backendUrl)}).then(({ nativeBackend }) => {
    const b = nativeBackend();
    const n = 192, a = new Float32Array(n * n).fill(1), c = new Float32Array(n * n);
    for (let i = 0; i < 20; i++) b.gemm({ batch: 1, m: n, n, k: n, transA: false, transB: false, a, aOffset: 0, lda: n, strideA: 0, b: a, bOffset: 0, ldb: n, strideB: 0, c, cOffset: 0, ldc: n, strideC: 0, alpha: 1, beta: 0 });
  });
\`;
let left = 4;
const next = () => {
  if (left-- === 0) { setTimeout(() => console.log('alive'), 200); return; }
  new Worker(code, { eval: true }).on('exit', next);
};
next();
`;

test('worker threads that load the native kernels can end while the process goes on', { skip: nativeBackend() ? false : 'the native addon is not loaded' }, () => {
  for (let run = 0; run < 5; run++) {
    const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8', env: { ...process.env, KOTOBA_QUIET_NATIVE: '1' }, timeout: 60_000 });
    assert.equal(r.signal, null, `run ${run} died with ${r.signal}`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'alive');
  }
});
