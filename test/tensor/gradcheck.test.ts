/**
 * Every differentiable op, gradchecked against float64 central differences on random shapes,
 * with broadcasting and with non-contiguous (transposed, expanded, sliced) inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k from '../../src/index.js';
import { Generator, gradcheck, Tensor } from '../../src/index.js';

const gen = new Generator(42);

/** A random float32 leaf; `transposed` makes it a non-contiguous view of its memory. */
function leaf(shape: number[], options: { positive?: boolean; transposed?: boolean; scale?: number; awayFromZero?: boolean } = {}): Tensor {
  const storageShape = options.transposed ? [...shape].reverse() : shape;
  let t = k.randn(storageShape, { generator: gen }).mul(options.scale ?? 1);
  if (options.positive) t = t.abs().add(0.5);
  if (options.awayFromZero) t = t.add(t.gt(0).mul(2).sub(1).mul(0.3));
  t = t.detach();
  if (options.transposed) t = t.permute([...shape.keys()].reverse()).detach();
  return t.requiresGrad_();
}

function check(name: string, fn: (...xs: Tensor[]) => Tensor, inputs: () => Tensor[], tol: { eps?: number; atol?: number; rtol?: number } = {}) {
  test(`gradcheck: ${name}`, () => {
    const r = gradcheck(fn, inputs(), tol);
    assert.ok(r.ok, `${name}: ${r.failures.slice(0, 5).join('; ')}`);
  });
}

// unary
check('neg', (x) => x.neg(), () => [leaf([3, 4])]);
check('exp', (x) => x.exp(), () => [leaf([2, 3, 4], { scale: 0.5 })]);
check('log', (x) => x.log(), () => [leaf([5, 3], { positive: true })]);
check('sqrt', (x) => x.sqrt(), () => [leaf([4, 3], { positive: true, transposed: true })]);
check('rsqrt', (x) => x.rsqrt(), () => [leaf([7], { positive: true })]);
check('tanh', (x) => x.tanh(), () => [leaf([3, 5])]);
check('erf', (x) => x.erf(), () => [leaf([3, 5], { transposed: true })]);
check('abs', (x) => x.abs(), () => [leaf([4, 4], { awayFromZero: true })]);
check('sigmoid', (x) => x.sigmoid(), () => [leaf([6, 2])]);
check('relu', (x) => x.relu(), () => [leaf([5, 4], { awayFromZero: true })]);
check('gelu', (x) => x.gelu(), () => [leaf([5, 4], { transposed: true })]);
check('geluNew', (x) => x.geluNew(), () => [leaf([5, 4])]);
check('silu', (x) => x.silu(), () => [leaf([3, 3, 2])]);
check('sin and cos', (x) => x.sin().add(x.cos()), () => [leaf([9])]);
check('pow with a scalar exponent', (x) => x.pow(2.5), () => [leaf([4, 3], { positive: true })]);
check('clamp', (x) => x.clamp(-0.5, 0.7), () => [leaf([30], { scale: 0.3 }).detach().add(0.013).detach().requiresGrad_()]);

// binary, with broadcasting
check('add (broadcast)', (a, b) => a.add(b), () => [leaf([2, 3, 4]), leaf([3, 1])]);
check('sub (broadcast, transposed)', (a, b) => a.sub(b), () => [leaf([4, 3], { transposed: true }), leaf([3])]);
check('mul (broadcast)', (a, b) => a.mul(b), () => [leaf([2, 1, 4]), leaf([3, 1])]);
check('div (broadcast)', (a, b) => a.div(b), () => [leaf([3, 4]), leaf([4], { positive: true })]);
check('pow (tensor exponent)', (a, b) => a.pow(b), () => [leaf([3, 4], { positive: true }), leaf([1, 4], { scale: 0.5 })]);
check('maximum', (a, b) => k.maximum(a, b), () => [leaf([4, 5]), leaf([5])]);
check('minimum', (a, b) => k.minimum(a, b), () => [leaf([4, 5]), leaf([4, 1])]);
check('where', (a, b) => k.where(k.randn([3, 4], { generator: new Generator(3) }).gt(0), a, b), () => [leaf([3, 4]), leaf([4])]);
check('maskedFill', (a) => a.maskedFill(k.tensor([1, 0, 0, 1], { dtype: 'int32' }), -2), () => [leaf([3, 4])]);

// reductions
check('sum over all', (x) => x.sum(), () => [leaf([3, 4, 2], { transposed: true })]);
check('sum over dims with keepdim', (x) => x.sum([0, 2], true), () => [leaf([3, 4, 2])]);
check('mean over a dim', (x) => x.mean(1), () => [leaf([3, 4, 2])]);
check('max over a dim', (x) => x.max(-1), () => [leaf([3, 6])]);
check('min over all', (x) => x.min(), () => [leaf([4, 5])]);
check('var', (x) => x.var(1), () => [leaf([3, 5])]);
check('logsumexp', (x) => x.logsumexp(-1), () => [leaf([4, 7], { transposed: true })]);

// products
check('matmul 2-D', (a, b) => a.matmul(b), () => [leaf([3, 4]), leaf([4, 5])]);
check('matmul transposed operands', (a, b) => a.matmul(b), () => [leaf([3, 4], { transposed: true }), leaf([4, 5], { transposed: true })]);
check('matmul batched with broadcast', (a, b) => a.matmul(b), () => [leaf([2, 1, 3, 4]), leaf([3, 4, 2])]);
check('matmul 1-D cases', (a, b, c) => a.matmul(b).add(b.matmul(c).sum()), () => [leaf([4]), leaf([4, 3]), leaf([3])]);
check('linear with bias', (x, w, b) => k.linear(x, w, b), () => [leaf([2, 3, 4]), leaf([5, 4]), leaf([5])]);
check('linear with a [in, out] weight (GPT-2 Conv1D)', (x, w) => k.linear(x, w.t()), () => [leaf([3, 4]), leaf([4, 6])]);

// normalization and softmax
check('softmax last dim', (x) => x.softmax(-1), () => [leaf([3, 5])]);
check('softmax first dim (transposed)', (x) => x.softmax(0), () => [leaf([4, 3], { transposed: true })]);
check('logSoftmax', (x) => x.logSoftmax(1), () => [leaf([2, 5, 3])]);
check('layerNorm', (x, w, b) => k.layerNorm(x, [6], w, b, 1e-5), () => [leaf([3, 6]), leaf([6]), leaf([6])]);
check('layerNorm over two dims', (x) => k.layerNorm(x, [3, 4]), () => [leaf([2, 3, 4])]);
check('rmsNorm', (x, w) => k.rmsNorm(x, [5], w, 1e-6), () => [leaf([4, 5], { transposed: true }), leaf([5])]);

// indexing
check('embedding', (w) => k.embedding(k.tensor([[1, 3, 1], [0, 2, 3]], { dtype: 'int32' }), w), () => [leaf([4, 3])]);
check('gather', (x) => x.gather(1, k.tensor([[0, 2], [1, 1], [3, 0]], { dtype: 'int32' })), () => [leaf([3, 4])]);
check('indexSelect', (x) => x.indexSelect(0, k.tensor([2, 0, 2], { dtype: 'int32' })), () => [leaf([3, 4], { transposed: true })]);
check('topk values', (x) => x.topk(2, 1).values, () => [leaf([3, 6])]);
check('sort values', (x) => x.sort(0, true).values, () => [leaf([5, 2])]);
check('cumsum', (x) => x.cumsum(1), () => [leaf([3, 5])]);
check('cumsum on a non-last dim', (x) => x.cumsum(0), () => [leaf([4, 3], { transposed: true })]);

// joining, splitting, triangles
check('cat', (a, b) => k.cat([a, b], 1), () => [leaf([2, 3]), leaf([2, 4], { transposed: true })]);
check('stack', (a, b) => k.stack([a, b], 1), () => [leaf([2, 3]), leaf([2, 3])]);
check('split and chunk', (x) => { const [p, q] = x.split([2, 3], 1); const [r] = x.chunk(2, 0); return p.sum().mul(q.mean()).add(r.sum()); }, () => [leaf([4, 5])]);
check('tril and triu', (x) => x.tril(-1).add(x.triu(1).mul(2)), () => [leaf([4, 4])]);

// views
check('view and reshape', (x) => x.view([6, 2]).reshape([3, 4]).mul(k.arange(12).float().reshape([3, 4])), () => [leaf([2, 6])]);
check('reshape of a transposed view (copies)', (x) => x.reshape([-1]).mul(k.arange(12).float()), () => [leaf([3, 4], { transposed: true })]);
check('permute', (x) => x.permute([2, 0, 1]).mul(k.arange(24).float().reshape([4, 2, 3])), () => [leaf([2, 3, 4])]);
check('narrow, slice and select', (x) => x.narrow(1, 1, 2).sum().add(x.slice(0, -2).mul(3).sum()).add(x.select(1, 0).mul(5).sum()), () => [leaf([3, 4])]);
check('expand', (x) => x.expand([3, 2, 4]).mul(k.arange(24).float().reshape([3, 2, 4])), () => [leaf([2, 1])]);
check('squeeze and unsqueeze', (x) => x.squeeze(1).unsqueeze(0).mul(k.arange(6).float().reshape([1, 3, 2])), () => [leaf([3, 1, 2])]);

// losses
check('crossEntropy with ignoreIndex', (x) => k.crossEntropy(x, k.tensor([1, -100, 3, 0], { dtype: 'int32' })), () => [leaf([4, 5])]);
check('crossEntropy with label smoothing, sum', (x) => k.crossEntropy(x, k.tensor([1, 2, 3], { dtype: 'int32' }), { labelSmoothing: 0.1, reduction: 'sum' }), () => [leaf([3, 5], { transposed: true })]);
check('crossEntropy with classes on dim 1', (x) => k.crossEntropy(x, k.tensor([[1, 0], [2, 2]], { dtype: 'int32' })), () => [leaf([2, 3, 2])]);
check('mseLoss', (a, b) => k.mseLoss(a, b), () => [leaf([3, 4]), leaf([3, 4])]);
check('bceWithLogits', (a) => k.bceWithLogits(a, k.tensor([[1, 0, 1], [0, 0, 1]])), () => [leaf([2, 3])]);

// attention (fused kernel): transposed q/k/v, padding mask, causal, position bias with gradient
check('attention with mask and bias', (q, kk, v, bias) => {
  const mask = k.tensor([[0, 0, 0, -1e9], [0, 0, 0, 0]]).reshape([2, 1, 1, 4]);
  return k.scaledDotProductAttention(q.transpose(1, 2), kk.transpose(1, 2), v.transpose(1, 2), { mask, bias }).output;
}, () => [leaf([2, 3, 2, 4]), leaf([2, 4, 2, 4]), leaf([2, 4, 2, 4]), leaf([1, 2, 3, 4])]);
check('attention causal with scale 1', (q, kk, v) => k.scaledDotProductAttention(q, kk, v, { causal: true, scale: 1 }).output,
  () => [leaf([1, 2, 3, 4], { scale: 0.5 }), leaf([1, 2, 5, 4], { scale: 0.5 }), leaf([1, 2, 5, 4])]);

// dropout with a fixed mask (a fresh generator per call)
check('dropout', (x) => k.dropout(x, 0.3, true, new Generator(7)), () => [leaf([4, 6])]);
check('clone, contiguous and float', (x) => x.clone().contiguous().float().mul(2), () => [leaf([3, 2], { transposed: true })]);
