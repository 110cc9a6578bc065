/** Misuse gives a KotobaError naming the op and the shapes — never a NaN-filled result or a crash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k from '../../src/index.js';
import { DTypeError, KotobaError, ShapeError, tensor } from '../../src/index.js';

function throwsNaming(fn: () => unknown, type: typeof KotobaError, ...parts: RegExp[]) {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${e.constructor.name}: ${e.message}`);
    for (const p of parts) assert.match(e.message, p);
    return true;
  });
}

test('shape mismatches name the op and both shapes', () => {
  const a = k.zeros([2, 3]);
  throwsNaming(() => a.add(k.zeros([4])), ShapeError, /^add:/, /\[2, 3\]/, /\[4\]/);
  throwsNaming(() => a.mul(k.zeros([3, 3])), ShapeError, /^mul:/);
  throwsNaming(() => k.where(k.zeros([5], { dtype: 'int32' }), a, 0), ShapeError, /^where:/);
  throwsNaming(() => a.matmul(k.zeros([2, 3])), ShapeError, /^matmul:/, /\[2, 3\] and \[2, 3\]/);
  throwsNaming(() => k.linear(a, k.zeros([4, 5])), ShapeError, /^linear:/, /\[4, 5\]/);
  throwsNaming(() => k.layerNorm(a, [4]), ShapeError, /^layerNorm:/, /\[4\]/, /\[2, 3\]/);
  throwsNaming(() => k.cat([a, k.zeros([2, 4])], 0), ShapeError, /^cat:/, /\[2, 4\]/);
  throwsNaming(() => a.view([4, 2]), ShapeError, /^view:/, /\[4, 2\]/);
  throwsNaming(() => k.crossEntropy(a, tensor([0, 1, 2], { dtype: 'int32' })), ShapeError, /^crossEntropy:/, /\[2\]/, /\[3\]/);
  throwsNaming(() => k.scaledDotProductAttention(k.zeros([1, 2, 3, 4]), k.zeros([1, 2, 5, 3]), k.zeros([1, 2, 5, 4])), ShapeError, /^attention:/);
  throwsNaming(() => tensor([1, 2]).item(), ShapeError, /^item:/, /\[2\]/);
});

test('dims out of range name the op and the valid range', () => {
  const a = k.zeros([2, 3]);
  throwsNaming(() => a.softmax(2), ShapeError, /^softmax: dim 2/, /\[-2, 1\]/);
  throwsNaming(() => a.mean(-3), ShapeError, /^mean: dim -3/);
  throwsNaming(() => a.permute([0, 0]), ShapeError, /^permute:/);
  throwsNaming(() => a.sum([1, 1]), ShapeError, /^sum:/, /repeat/);
  throwsNaming(() => a.unsqueeze(4), ShapeError, /^unsqueeze:/);
});

test('wrong dtypes are DTypeErrors naming the op', () => {
  const ids = tensor([0, 1], { dtype: 'int32' });
  throwsNaming(() => k.embedding(tensor([0, 1]), k.zeros([3, 2])), DTypeError, /^embedding:/, /int32/);
  throwsNaming(() => k.zeros([2, 3]).gather(1, k.zeros([2, 1])), DTypeError, /^gather:/);
  throwsNaming(() => k.crossEntropy(k.zeros([2, 3]), tensor([0, 1])), DTypeError, /^crossEntropy:/);
  throwsNaming(() => ids.requiresGrad_(), DTypeError, /float32/);
});

test('an out-of-range id is an error, not garbage memory', () => {
  throwsNaming(() => k.embedding(tensor([0, 7], { dtype: 'int32' }), k.zeros([3, 2])), KotobaError, /id 7/, /\[0, 3\)/);
  throwsNaming(() => k.embedding(tensor([-1], { dtype: 'int32' }), k.zeros([3, 2])), KotobaError, /id -1/);
  throwsNaming(() => k.zeros([2, 3]).indexSelect(1, tensor([3], { dtype: 'int32' })), KotobaError, /out of range/);
});

test('bad option values name the option', () => {
  assert.throws(() => k.dropout(k.zeros([2]), 1.5), /dropout: p must be in \[0, 1\]/);
  assert.throws(() => k.arange(0, 5, 0), /arange: step/);
  assert.throws(() => k.randint(5, 5, [2]), /randint/);
  assert.throws(() => k.crossEntropy(k.zeros([1, 2]), tensor([0], { dtype: 'int32' }), { reduction: 'avg' as 'mean' }), /reduction/);
});

test('an in-place op whose result is float cannot silently truncate into an int32 tensor', () => {
  const ids = tensor([1, 2], { dtype: 'int32' });
  throwsNaming(() => ids.add_(0.5), DTypeError, /^add_:/, /float32/, /int32/);
  assert.deepEqual(ids.toArray(), [1, 2]);
  assert.deepEqual(ids.add_(1).toArray(), [2, 3]);
});
