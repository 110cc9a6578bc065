// allocateUninitialized: the memory kernels overwrite in full. The test runner poisons it with NaN
// (KOTOBA_POISON_UNINITIALIZED=1); here a child process checks the path taken outside the tests.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { allocateUninitialized } from '../../src/tensor/tensor.js';

const tensorJs = fileURLToPath(new URL('../../src/tensor/tensor.js', import.meta.url));

test('under the test runner, uninitialized memory is NaN (ids: -1), so an unwritten element shows', () => {
  if (process.env.KOTOBA_POISON_UNINITIALIZED !== '1') return;
  assert.ok(allocateUninitialized('float32', 10000).every((x) => Number.isNaN(x)));
  assert.ok(allocateUninitialized('int32', 10).every((x) => x === -1));
});

test('outside the tests: typed arrays of the right type and length, each over its own memory', () => {
  const script = `import(${JSON.stringify(tensorJs)}).then(({ allocateUninitialized: a }) => {
    const big = a('float32', 100000), ids = a('int32', 5000), small = a('float32', 10);
    console.log(JSON.stringify([big.constructor.name, big.length, big.byteOffset, big.buffer.byteLength,
      ids.constructor.name, ids.length, ids.buffer.byteLength, small.constructor.name, Array.from(small)]));
  })`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, KOTOBA_POISON_UNINITIALIZED: '0' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['Float32Array', 100000, 0, 400000, 'Int32Array', 5000, 20000, 'Float32Array', new Array(10).fill(0)]);
});
