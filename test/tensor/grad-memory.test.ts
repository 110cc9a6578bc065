// The backward pass hands gradients to leaves without copies where the memory is its own
// (src/tensor/buffer-age.ts, runBackward), and in-place arithmetic writes into the tensor's own
// memory. These tests pin down that nobody else's memory is ever written or shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k from '../../src/index.js';
import { noGrad, record, tensor } from '../helpers/api.js';

test('a gradient a custom backward returns from its own tensors is copied, never adopted or summed into', () => {
  const constant = tensor([1, 2, 3]);
  const x = tensor([0, 0, 0], { requiresGrad: true });
  const y = () => record(noGrad(() => x.mul(2)), 'Custom', [x], () => [constant]);
  y().sum().backward();
  assert.notEqual(x.grad!.data.buffer, constant.data.buffer);
  y().sum().backward(); // the second gradient is summed into x.grad, not into constant
  assert.deepEqual(constant.toArray(), [1, 2, 3]);
  assert.deepEqual(x.grad!.toArray(), [2, 4, 6]);
});

test('one gradient handed to two leaves (add) leaves them separate memory', () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3, 4], { requiresGrad: true });
  a.add(b).mul(tensor([5, 7])).sum().backward();
  assert.notEqual(a.grad!.data.buffer, b.grad!.data.buffer);
  a.grad!.add_(100);
  assert.deepEqual(b.grad!.toArray(), [5, 7]);
  assert.deepEqual(a.grad!.toArray(), [105, 107]);
});

test('a leaf keeps one gradient tensor: the first pass sets it, later passes add into it', () => {
  const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const x = tensor([[1, 0], [0, 1], [1, 1]]);
  k.matmul(x, w).sum().backward();
  const first = w.grad!;
  assert.deepEqual(first.toArray(), [[2, 2], [2, 2]]);
  k.matmul(x, w).sum().backward();
  assert.equal(w.grad, first); // accumulated in place
  assert.deepEqual(w.grad!.toArray(), [[4, 4], [4, 4]]);
});

test('a parameter used twice (tied) gets the sum of both gradients, and the parts stay intact', () => {
  const w = tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
  const x = tensor([[1, 2]]);
  const loss = k.matmul(x, w).sum().add(k.matmul(x, w.t()).mul(3).sum());
  loss.backward();
  // d/dw sum(x w) = x^T 1; d/dw 3 sum(x w^T) = 3 (x^T 1)^T
  assert.deepEqual(w.grad!.toArray(), [[1 + 3, 1 + 6], [2 + 3, 2 + 6]]);
});

test('the gradient of a transposed view reaches its parameter in the parameter layout (GPT-2 Conv1D)', () => {
  k.manualSeed(3);
  const conv = new k.nn.Conv1D(5, 7);
  const x = k.randn([4, 5]);
  conv.forward(x).pow(2).sum().backward();
  const g = conv.weight.grad!;
  assert.deepEqual(g.shape, [5, 7]);
  assert.ok(g.isContiguous());
  // reference: d/dW sum((x W + b)^2) = x^T 2 (x W + b)
  const expected = noGrad(() => k.matmul(x.t(), k.matmul(x, conv.weight).add(conv.bias).mul(2)));
  const diff = noGrad(() => g.sub(expected).abs().max().item());
  assert.ok(diff < 1e-5, `max difference ${diff}`);
});

test('in-place add_/sub_/mul_/div_ write into the tensor, broadcasting the other operand', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  const data = x.data;
  x.add_(tensor([10, 20, 30]));
  x.sub_(1);
  x.mul_(tensor([[2], [3]]));
  x.div_(2);
  assert.equal(x.data, data);
  assert.deepEqual(x.toArray(), [[10, 21, 32], [19.5, 36, 52.5]]);
  x.add_(x); // the other operand is the tensor itself
  assert.deepEqual(x.toArray(), [[20, 42, 64], [39, 72, 105]]);
  const view = x.t(); // not contiguous: computed out of place, written back
  view.mul_(tensor([1, 0]));
  assert.deepEqual(x.toArray(), [[20, 42, 64], [0, 0, 0]]);
  x.narrow(1, 1, 2).add_(tensor([1, 1])); // a slice: the same
  assert.deepEqual(x.toArray(), [[20, 43, 65], [0, 1, 1]]);
  assert.throws(() => tensor([1, 2]).add_(tensor([[1, 2], [3, 4]])), /shape/);
});

test('in-place ops bump the version, so a saved tensor modified afterwards is caught', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(1);
  const z = y.mul(y);
  noGrad(() => y.add_(1));
  assert.throws(() => z.sum().backward(), /modified in place/);
});

test('linear with an activation: fused into the product without gradients, the same values as applied after', () => {
  k.manualSeed(5);
  const layer = new k.Linear(37, 45);
  const x = k.randn([3, 7, 37]);
  for (const act of [k.relu, k.gelu, k.geluNew, k.tanh]) {
    const fused = noGrad(() => layer.forward(x, act));
    const after = noGrad(() => act(layer.forward(x)));
    const diff = noGrad(() => fused.sub(after).abs().max().item());
    assert.ok(diff < 1e-6, `${act.name}: max difference ${diff}`);
    // with gradients it is applied after the product, so the activation's backward is recorded
    const withGrad = layer.forward(x, act);
    withGrad.sum().backward();
    assert.ok(layer.weight.grad !== null);
    layer.zeroGrad();
  }
});

test('a weight packed for inference is repacked after it changes (in place, by an optimizer step, by loading)', () => {
  k.manualSeed(9);
  const layer = new k.Linear(96, 80);
  const x = k.randn([2, 9, 96]);
  const expected = () => noGrad(() => k.matmul(x, layer.weight.t()).add(layer.bias!)); // matmul never prepacks
  const check = (what: string) => {
    const diff = noGrad(() => layer.forward(x).sub(expected()).abs().max().item());
    assert.ok(diff < 1e-4, `${what}: max difference ${diff}`);
  };
  check('first use');
  check('second use (packed)');
  noGrad(() => layer.weight.mul_(-2));
  check('after mul_');
  const optimizer = new k.AdamW(layer.parameters(), { lr: 0.1 });
  layer.forward(x).pow(2).sum().backward();
  optimizer.step();
  check('after an AdamW step');
  layer.loadStateDict({ weight: k.randn([80, 96]), bias: k.zeros([80]) });
  check('after loadStateDict');
});

test('a tied embedding (lookup and LM head) gets the sum of both gradients, in either order', () => {
  k.manualSeed(3);
  const vocab = 7, dim = 5;
  const ids = k.Tensor.fromArray(Int32Array.from([1, 4, 4, 0, 6, 1]), [2, 3]);
  const target = k.randn([2, 3, vocab]);
  const close = (a: unknown, b: unknown) => (a as number[][]).every((row, i) => row.every((v, j) => Math.abs(v - (b as number[][])[i][j]) < 1e-5));
  // headLast: the LM head is the op nearest the loss, so its gradient is walked first (GPT-2);
  // otherwise the lookup's gradient comes first
  for (const headLast of [true, false]) {
    const loss = (lookup: k.Tensor, head: k.Tensor) => headLast
      ? k.matmul(k.embedding(ids, lookup).tanh(), head.t()).mul(target).sum()
      : k.embedding(ids, lookup).sum(-1).tanh().mul(k.matmul(target, head).sum(-1)).sum();
    const w = k.randn([vocab, dim], { requiresGrad: true });
    const lookup = noGrad(() => w.clone()).requiresGrad_();
    const head = noGrad(() => w.clone()).requiresGrad_();
    loss(lookup, head).backward(); // the two uses as separate leaves, summed by hand below
    const expected = noGrad(() => lookup.grad!.add(head.grad!)).toArray();
    loss(w, w).backward();
    assert.ok(close(w.grad!.toArray(), expected), `headLast ${headLast}: tied gradient = sum of both`);
    loss(w, w).backward(); // a second pass accumulates into .grad
    assert.ok(close(w.grad!.toArray(), (expected as number[][]).map((row) => row.map((v) => 2 * v))), `headLast ${headLast}: second pass`);
  }
  // GPT-2's pattern (the LM head is a Linear on the embedding weight): the lookup is offered the
  // head's gradient as the running sum, so no vocabulary-sized array of its own is made
  const w = k.randn([vocab, dim], { requiresGrad: true });
  const e = k.embedding(ids, w);
  const fn = e.gradFn!;
  let offered: k.Tensor | undefined;
  e.gradFn = { ...fn, backward: (g, sums) => { offered = sums[0]; return fn.backward(g, sums); } };
  k.linear(e.tanh(), w).mul(target).sum().backward();
  assert.ok(offered !== undefined, 'the head\'s gradient was offered to the lookup');
  assert.equal(w.grad, offered, 'and, summed in place, became .grad without a copy');
});

test('the embedding adds its rows into a running sum it is offered, and returns that sum', () => {
  const w = tensor([[0, 0], [0, 0], [0, 0]], { requiresGrad: true });
  const ids = k.Tensor.fromArray(Int32Array.from([2, 0, 2]), [3]);
  const e = k.embedding(ids, w);
  const g = tensor([[1, 2], [3, 4], [5, 6]]);
  const sum = tensor([[10, 10], [10, 10], [10, 10]]);
  const [summed] = e.gradFn!.backward(g, [sum]);
  assert.equal(summed, sum);
  assert.deepEqual(sum.toArray(), [[13, 14], [10, 10], [16, 18]]);
  const [alone] = e.gradFn!.backward(g, [undefined]);
  assert.deepEqual(alone!.toArray(), [[3, 4], [0, 0], [6, 8]]);
});

test('a backward closure that adds into the running sum it is offered gives the same gradients', () => {
  const offered: boolean[] = [];
  // an op whose gradient is 2 g, added into the running sum when it gets one (as the embedding does)
  const twice = (t: k.Tensor) => record(noGrad(() => t.mul(2)), 'Twice', [t], (g, sums) => {
    offered.push(sums[0] !== undefined);
    const mine = noGrad(() => g.mul(2));
    if (!sums[0]) return [mine];
    sums[0].add_(mine);
    return [sums[0]];
  });
  // x reaches the loss through twice() and through mul(3); either branch may be walked first
  for (const twiceFirst of [true, false]) {
    const x = tensor([1, 2], { requiresGrad: true });
    const [a, b] = twiceFirst ? [twice(x), x.mul(3)] : [x.mul(3), twice(x)];
    a.add(b).mul(tensor([1, 10])).sum().backward();
    assert.deepEqual(x.grad!.toArray(), [5, 50]);
  }
  assert.ok(offered.includes(true), 'the branch walked second was offered the first one\'s gradient');
});

test('linearMany: one product for layers sharing an input, the same values as one by one, rebuilt when a weight changes', () => {
  k.manualSeed(11);
  const layers = [new k.Linear(48, 32), new k.Linear(48, 32), new k.Linear(48, 16)];
  const x = k.randn([2, 5, 48]);
  const check = (what: string) => {
    const together = noGrad(() => k.linearMany(x, layers));
    const alone = noGrad(() => layers.map((l) => l.forward(x)));
    together.forEach((t, i) => assert.deepEqual(t.toArray(), alone[i].toArray(), `${what}: layer ${i}`));
  };
  check('first use');
  check('second use (stacked weights kept)');
  noGrad(() => layers[1].weight.mul_(-2));
  check('after mul_ of the second weight');
  noGrad(() => layers[2].bias!.add_(1));
  check('after add_ of the third bias');
  const optimizer = new k.AdamW(layers.flatMap((l) => l.parameters()), { lr: 0.1 });
  // with gradients: three products, and every layer gets its own gradient
  const outs = k.linearMany(x, layers);
  outs.reduce((acc, t) => acc.add(t.pow(2).sum()), k.tensor(0)).backward();
  for (const l of layers) assert.ok(l.weight.grad && l.bias!.grad, 'each layer has gradients');
  optimizer.step();
  check('after an AdamW step');
  layers[0].loadStateDict({ weight: k.randn([32, 48]), bias: k.zeros([32]) });
  check('after loadStateDict');
  assert.throws(() => noGrad(() => k.linearMany(x, [layers[0], new k.Linear(48, 8, { bias: false })])), /every layer has a bias or none/);
});
