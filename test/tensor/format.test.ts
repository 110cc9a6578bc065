import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arange, tensor, zeros } from '../../src/index.js';

// Expected strings are what PyTorch 1.13 prints for the same tensors (torch's int32 dtype is named int32 here).
test('toString prints like PyTorch', () => {
  assert.equal(String(tensor([[1, 2], [3, 4]])), 'tensor([[1., 2.],\n        [3., 4.]])');
  assert.equal(String(tensor([0.1, -2])), 'tensor([ 0.1000, -2.0000])');
  assert.equal(String(tensor(3.5)), 'tensor(3.5000)');
  assert.equal(String(tensor([1e-6, 1])), 'tensor([1.0000e-06, 1.0000e+00])');
  assert.equal(String(tensor([1, 2], { dtype: 'int32' })), 'tensor([1, 2], dtype=int32)');
  assert.equal(String(tensor([1, 2], { requiresGrad: true })), 'tensor([1., 2.], requires_grad=True)');
  assert.equal(String(tensor([1, 2], { requiresGrad: true }).sum()), 'tensor(3., grad_fn=<SumBackward0>)');
  assert.equal(String(tensor([Infinity, -Infinity, NaN, 1])), 'tensor([inf, -inf, nan, 1.])');
  assert.equal(String(tensor([])), 'tensor([])');
  assert.equal(String(zeros([2, 1, 2])), 'tensor([[[0., 0.]],\n\n        [[0., 0.]]])');
});

test('toString summarizes big tensors and wraps long rows', () => {
  assert.equal(String(zeros([2000])), 'tensor([0., 0., 0.,  ..., 0., 0., 0.])');
  assert.equal(
    String(arange(30).float()),
    'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n' +
    '        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n' +
    '        28., 29.])',
  );
  assert.equal(
    String(zeros([1001, 2])),
    'tensor([[0., 0.],\n        [0., 0.],\n        [0., 0.],\n        ...,\n        [0., 0.],\n        [0., 0.],\n        [0., 0.]])',
  );
});
