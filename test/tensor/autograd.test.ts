import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k from '../../src/index.js';
import { AutogradError, KotobaError, noGrad, record, tensor } from '../helpers/api.js';

test('gradients accumulate into leaves across backward calls', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
  x.mul(3).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [5, 7, 9]);
});

test('a tensor used twice receives the sum of both paths', () => {
  const x = tensor([2], { requiresGrad: true });
  const y = x.mul(x).add(x.exp());
  y.sum().backward();
  assert.ok(Math.abs(x.grad!.item() - (4 + Math.exp(2))) < 1e-4);
});

test('backward on a non-scalar without a gradient is a KotobaError naming the shape', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => x.mul(2).backward(), (e: Error) => e instanceof AutogradError && /shape \[2\]/.test(e.message));
  const y = x.mul(2);
  y.backward(tensor([1, 10]));
  assert.deepEqual(x.grad!.toArray(), [2, 20]);
});

test('backward with a gradient of the wrong shape is an error', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => x.mul(2).backward(tensor([1, 2, 3])), AutogradError);
});

test('backward on a tensor that does not require grad is an error', () => {
  assert.throws(() => tensor([1]).backward(), AutogradError);
});

test('noGrad records nothing; detach cuts the graph', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = noGrad(() => x.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  const z = x.detach();
  assert.equal(z.requiresGrad, false);
  assert.equal(z.storage, x.storage);
  assert.equal(k.isGradEnabled(), true);
});

test('modifying in place a tensor saved for backward is detected at backward', () => {
  const a = tensor([1, 2, 3], { requiresGrad: true });
  const b = tensor([4, 5, 6]);
  const y = a.mul(b); // saves b
  b.add_(1);
  assert.throws(() => y.sum().backward(), (e: Error) => e instanceof AutogradError && /modified in place/.test(e.message) && /mul/.test(e.message));
});

test('in-place ops on tensors that require grad are refused outside noGrad', () => {
  const p = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => p.add_(1), AutogradError);
  noGrad(() => p.add_(1));
  assert.deepEqual(p.toArray(), [2, 3]);
});

test('a second backward through a freed graph is an error; retainGraph keeps it', () => {
  const x = tensor([3], { requiresGrad: true });
  const y = x.mul(x).sum();
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assert.deepEqual(x.grad!.toArray(), [12]);
  assert.throws(() => y.backward(), AutogradError);
});

test('retainGrad keeps the gradient of an intermediate tensor', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const h = x.mul(3).retainGrad();
  h.mul(h).sum().backward();
  assert.deepEqual(h.grad!.toArray(), [6, 12]);
  assert.deepEqual(x.grad!.toArray(), [18, 36]);
});

test('deep graphs do not overflow the stack', () => {
  const x = tensor([1], { requiresGrad: true });
  let y = x;
  for (let i = 0; i < 20000; i++) y = y.add(0.001);
  y.sum().backward();
  assert.deepEqual(x.grad!.toArray(), [1]);
});

test('int32 tensors cannot require grad', () => {
  assert.throws(() => tensor([1, 2], { dtype: 'int32' }).requiresGrad_(), KotobaError);
});

test('gradcheck fails on a wrong backward (it can detect errors)', () => {
  const wrongSquare = (x: k.Tensor) => record(noGrad(() => x.mul(x)), 'WrongSquare', [x], (g) => [g.mul(x)]); // true gradient is 2x
  const r = k.gradcheck(wrongSquare, [k.randn([5]).requiresGrad_()]);
  assert.equal(r.ok, false);
  assert.ok(r.failures.length > 0);
});
