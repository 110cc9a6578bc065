/**
 * The native kernels work in place and keep no per-call memory: 10 000 rounds of calls (every
 * kernel family, small shapes as in a training step) leave RSS and external memory flat.
 * The rounds run in a child process started with --expose-gc, so that garbage of the JavaScript
 * side is collected before each measurement and only native growth remains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nativeBackend } from '../../src/backend/index.js';

const child = fileURLToPath(new URL('./memory-child.js', import.meta.url));

test('10 000 rounds of native calls do not grow RSS or external memory', { skip: nativeBackend() ? false : 'native kernels unavailable' }, () => {
  const r = spawnSync(process.execPath, ['--expose-gc', child], { encoding: 'utf8', env: process.env });
  assert.equal(r.status, 0, r.stderr);
  const { rss, heapTotal, external, calls } = JSON.parse(r.stdout.trim().split('\n').pop()!) as
    { rss: number; heapTotal: number; external: number; calls: number };
  const mb = (n: number) => (n / 2 ** 20).toFixed(2);
  // V8 may enlarge its own heap (young generation) under the calls' argument objects: that is
  // not native memory, so it is taken out. 140 000 calls: a native leak of even 32 bytes a call
  // would show as 4.3 MB.
  assert.ok(calls >= 140000, `only ${calls} calls ran`);
  const native = rss - Math.max(0, heapTotal);
  assert.ok(native < 4 * 2 ** 20, `RSS outside the V8 heap grew by ${mb(native)} MB over ${calls} calls (RSS ${mb(rss)}, V8 heap ${mb(heapTotal)})`);
  assert.ok(external < 2 ** 16, `external memory grew by ${mb(external)} MB over ${calls} calls`);
});
