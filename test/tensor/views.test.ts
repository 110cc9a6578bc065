import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arange, KotobaError, noGrad, ShapeError, tensor, zeros } from '../../src/index.js';

test('views share memory: a write through a view is seen by the base', () => {
  const base = arange(12).float().reshape([3, 4]);
  const views = [base.view([4, 3]), base.transpose(0, 1), base.permute([1, 0]), base.narrow(1, 1, 2), base.unsqueeze(0), base.view([12])];
  for (const v of views) assert.equal(v.storage, base.storage);
  noGrad(() => base.narrow(1, 1, 2).fill_(-1));
  assert.deepEqual(base.toArray(), [[0, -1, -1, 3], [4, -1, -1, 7], [8, -1, -1, 11]]);
});

test('transpose, permute and narrow give the right strides and values', () => {
  const x = arange(24).reshape([2, 3, 4]);
  const t = x.transpose(0, 2);
  assert.deepEqual([...t.shape], [4, 3, 2]);
  assert.deepEqual([...t.strides], [1, 4, 12]);
  assert.equal(t.isContiguous(), false);
  assert.deepEqual(t.contiguous().toFlatArray().slice(0, 6), [0, 12, 4, 16, 8, 20]);
  const p = x.permute([1, 2, 0]);
  assert.deepEqual(p.toArray()[2][3], [11, 23]);
  const n = x.narrow(2, 1, 2);
  assert.equal(n.offset, 1);
  assert.deepEqual(n.toArray()[1][2], [21, 22]);
  assert.deepEqual(x.slice(1, 0, -2).toArray(), [[[0, 1, 2, 3]], [[12, 13, 14, 15]]]);
  assert.deepEqual(x.select(0, -1).select(0, 0).toArray(), [12, 13, 14, 15]);
});

test('expand repeats with stride 0; squeeze and unsqueeze', () => {
  const x = tensor([[1], [2]]);
  const e = x.expand([2, 3]);
  assert.deepEqual([...e.strides], [1, 0]);
  assert.deepEqual(e.toArray(), [[1, 1, 1], [2, 2, 2]]);
  assert.deepEqual([...x.expand([4, -1, 3]).shape], [4, 2, 3]);
  assert.throws(() => x.expand([3, 3]), ShapeError);
  assert.deepEqual([...x.unsqueeze(0).shape], [1, 2, 1]);
  assert.deepEqual([...x.unsqueeze(-1).shape], [2, 1, 1]);
  assert.deepEqual([...x.squeeze().shape], [2]);
  assert.deepEqual([...x.squeeze(0).shape], [2, 1]);
});

test('view refuses an incompatible layout; reshape copies then', () => {
  const t = arange(6).reshape([2, 3]).transpose(0, 1);
  assert.throws(() => t.view([6]), (e: Error) => e instanceof ShapeError && /reshape/.test(e.message));
  const r = t.reshape([6]);
  assert.deepEqual(r.toArray(), [0, 3, 1, 4, 2, 5]);
  assert.notEqual(r.storage, t.storage);
  // splitting and merging contiguous groups stays a view
  const v = arange(24).reshape([2, 3, 4]).transpose(0, 1).reshape([3, 2, 2, 2]);
  assert.deepEqual(v.toArray()[1][1][0], [16, 17]);
});

test('view infers -1 and reports bad shapes', () => {
  assert.deepEqual([...arange(12).view([-1, 4]).shape], [3, 4]);
  assert.throws(() => arange(12).view([5, -1]), ShapeError);
  assert.throws(() => arange(12).view([-1, -1]), ShapeError);
});

test('dims out of range name the op', () => {
  const x = zeros([2, 3]);
  assert.throws(() => x.transpose(0, 2), (e: Error) => e instanceof KotobaError && /transpose: dim 2/.test(e.message));
  assert.throws(() => x.sum(5), /sum: dim 5/);
  assert.throws(() => x.narrow(1, 2, 2), /narrow/);
});

test('in-place writes into a view bump the shared version', () => {
  const base = zeros([4]);
  const v0 = base.storage.version;
  base.narrow(0, 1, 2).add_(1);
  assert.equal(base.storage.version, v0 + 1);
  assert.deepEqual(base.toArray(), [0, 1, 1, 0]);
});
