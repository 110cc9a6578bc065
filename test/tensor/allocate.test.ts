// allocateUninitialized: memory that kernels overwrite in full. Both of its paths are run in a
// child process, so the result does not depend on how this test itself was started.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const tensorJs = fileURLToPath(new URL('../../src/tensor/tensor.js', import.meta.url));

/** [type, length, byteOffset, buffer bytes, the first 3 values] of a('float32', 100000), a('int32', 5000), a('float32', 10). */
function allocateIn(poison: '0' | '1'): unknown[][] {
  const script = `import(${JSON.stringify(tensorJs)}).then(({ allocateUninitialized: a }) => {
    const describe = (x) => [x.constructor.name, x.length, x.byteOffset, x.buffer.byteLength, Array.from(x.subarray(0, 3))];
    console.log(JSON.stringify([a('float32', 100000), a('int32', 5000), a('float32', 10)].map(describe)));
  })`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, KOTOBA_POISON_UNINITIALIZED: poison }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as unknown[][];
}

test('poisoned (as the test runner sets it): NaN for values, -1 for ids, so an unwritten element shows', () => {
  const [big, ids, small] = allocateIn('1');
  assert.deepEqual(big, ['Float32Array', 100000, 0, 400000, [null, null, null]]); // JSON writes NaN as null
  assert.deepEqual(ids, ['Int32Array', 5000, 0, 20000, [-1, -1, -1]]);
  assert.deepEqual(small, ['Float32Array', 10, 0, 40, [null, null, null]]);
});

test('plain: typed arrays of the right type and length, each over its own memory; small ones zeroed', () => {
  const [big, ids, small] = allocateIn('0');
  assert.deepEqual(big.slice(0, 4), ['Float32Array', 100000, 0, 400000]);
  assert.deepEqual(ids.slice(0, 4), ['Int32Array', 5000, 0, 20000]);
  assert.deepEqual(small, ['Float32Array', 10, 0, 40, [0, 0, 0]]);
});
