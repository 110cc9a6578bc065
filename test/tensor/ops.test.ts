/** Forward values of the ops against direct float64 computations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k from '../../src/index.js';
import { DTypeError, Generator, ShapeError, tensor } from '../../src/index.js';

const gen = new Generator(9);
const close = (a: number[], b: number[], tol = 1e-5) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])), `element ${i}: ${v} vs ${b[i]}`));
};

test('creation: zeros, ones, full, arange, eye, tensor', () => {
  assert.deepEqual(k.full([2, 2], 7).toArray(), [[7, 7], [7, 7]]);
  assert.equal(k.arange(5).dtype, 'int32');
  assert.deepEqual(k.arange(1, 2, 0.25).toArray(), [1, 1.25, 1.5, 1.75]);
  assert.deepEqual(k.eye(2, 3).toArray(), [[1, 0, 0], [0, 1, 0]]);
  assert.throws(() => tensor([[1, 2], [3]]), ShapeError);
  assert.throws(() => tensor([1.5], { dtype: 'int32' }), DTypeError);
  assert.equal(tensor(3).ndim, 0);
  assert.equal(tensor(3).item(), 3);
});

test('random creation is reproducible by seed and has the right moments', () => {
  const a = k.randn([10000], { generator: new Generator(1) });
  const b = k.randn([10000], { generator: new Generator(1) });
  assert.deepEqual(a.toFlatArray(), b.toFlatArray());
  assert.ok(Math.abs(a.mean().item()) < 0.05);
  assert.ok(Math.abs(a.var().item() - 1) < 0.05);
  const u = k.rand([10000], { generator: new Generator(2) });
  assert.ok(u.min().item() >= 0 && u.max().item() < 1);
  const r = k.randint(3, 7, [1000], { generator: new Generator(3) });
  assert.equal(r.dtype, 'int32');
  assert.deepEqual([...new Set(r.toFlatArray())].sort(), [3, 4, 5, 6]);
  k.manualSeed(5);
  const c = k.rand([3]).toFlatArray();
  k.manualSeed(5);
  assert.deepEqual(k.rand([3]).toFlatArray(), c);
});

test('matmul agrees with a direct triple loop, batched and broadcast', () => {
  const a = k.randn([2, 1, 3, 5], { generator: gen });
  const b = k.randn([4, 5, 2], { generator: gen });
  const c = a.matmul(b);
  assert.deepEqual([...c.shape], [2, 4, 3, 2]);
  const A = a.toArray(), B = b.toArray(), C = c.toArray();
  for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let m = 0; m < 3; m++) for (let n = 0; n < 2; n++) {
    let s = 0;
    for (let p = 0; p < 5; p++) s += A[i][0][m][p] * B[j][p][n];
    assert.ok(Math.abs(C[i][j][m][n] - s) < 1e-5);
  }
  assert.throws(() => k.randn([2, 3]).matmul(k.randn([4, 2])), (e: Error) => e instanceof ShapeError && /\[2, 3\] and \[4, 2\]/.test(e.message));
});

test('linear equals x W^T + b', () => {
  const x = k.randn([3, 4], { generator: gen });
  const w = k.randn([2, 4], { generator: gen });
  const b = k.randn([2], { generator: gen });
  close(k.linear(x, w, b).toFlatArray(), x.matmul(w.t()).add(b).toFlatArray());
});

test('broadcasting elementwise ops and int32 promotion', () => {
  const a = tensor([[1, 2, 3]]);
  const b = tensor([[10], [20]]);
  assert.deepEqual(a.add(b).toArray(), [[11, 12, 13], [21, 22, 23]]);
  assert.deepEqual(a.sub(1).mul(2).div(4).toArray(), [[0, 0.5, 1]]);
  assert.deepEqual(tensor([2, 3]).pow(2).toArray(), [4, 9]);
  const i = tensor([1, 2], { dtype: 'int32' });
  assert.equal(i.add(1).dtype, 'int32');
  assert.equal(i.add(0.5).dtype, 'float32');
  assert.equal(i.div(2).dtype, 'float32');
  assert.deepEqual(i.div(2).toArray(), [0.5, 1]);
  assert.throws(() => k.randn([2, 3]).add(k.randn([4])), (e: Error) => e instanceof ShapeError && /add/.test(e.message));
});

test('comparisons return int32 masks; where and maskedFill', () => {
  const x = tensor([1, 5, 3]);
  const m = x.gt(2);
  assert.equal(m.dtype, 'int32');
  assert.deepEqual(m.toArray(), [0, 1, 1]);
  assert.deepEqual(x.eq(3).toArray(), [0, 0, 1]);
  assert.deepEqual(x.le(3).toArray(), [1, 0, 1]);
  assert.deepEqual(k.where(m, x, -1).toArray(), [-1, 5, 3]);
  assert.deepEqual(x.maskedFill(m, 0).toArray(), [1, 0, 0]);
  assert.deepEqual(k.maximum(x, tensor([2])).toArray(), [2, 5, 3]);
  assert.deepEqual(k.minimum(x, 2).toArray(), [1, 2, 2]);
  assert.deepEqual(x.clamp(2, 4).toArray(), [2, 4, 3]);
});

test('unary math matches Math', () => {
  const v = [-2.5, -0.3, 0.2, 1.7];
  const x = tensor(v);
  close(x.exp().toFlatArray(), v.map(Math.exp));
  close(x.abs().log().toFlatArray(), v.map((a) => Math.log(Math.abs(a))));
  close(x.abs().sqrt().toFlatArray(), v.map((a) => Math.sqrt(Math.abs(a))));
  close(x.abs().rsqrt().toFlatArray(), v.map((a) => 1 / Math.sqrt(Math.abs(a))));
  close(x.tanh().toFlatArray(), v.map(Math.tanh));
  close(x.sigmoid().toFlatArray(), v.map((a) => 1 / (1 + Math.exp(-a))));
  close(x.silu().toFlatArray(), v.map((a) => a / (1 + Math.exp(-a))));
  close(x.erf().toFlatArray(), [-0.999593047982555, -0.328626759459127, 0.222702589210478, 0.983790458590775]);
  close(x.neg().toFlatArray(), v.map((a) => -a));
});

test('reductions over dims with keepdim', () => {
  const x = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  assert.equal(x.sum().item(), 36);
  assert.deepEqual(x.sum([0, 2]).toArray(), [14, 22]);
  assert.deepEqual([...x.sum(1, true).shape], [2, 1, 2]);
  assert.deepEqual(x.mean(-1).toArray(), [[1.5, 3.5], [5.5, 7.5]]);
  assert.deepEqual(x.max(0).toArray(), [[5, 6], [7, 8]]);
  assert.deepEqual(x.min([1, 2]).toArray(), [1, 5]);
  assert.deepEqual(x.argmax(2).toArray(), [[1, 1], [1, 1]]);
  assert.equal(x.argmax().item(), 7);
  assert.deepEqual(tensor([3, 1, 3]).argmax().item(), 0); // first on ties
  close(tensor([1, 2, 3, 4]).var().toFlatArray(), [1.6666666]);
  close(tensor([1, 2, 3, 4]).var(0, { correction: 0 }).toFlatArray(), [1.25]);
  close(tensor([[1, 2, 3], [-Infinity, -Infinity, 0]]).logsumexp(1).toFlatArray(), [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 0]);
  assert.equal(tensor([[-Infinity, -Infinity]]).logsumexp(1).item(), -Infinity);
  assert.equal(tensor([1, 2], { dtype: 'int32' }).sum().dtype, 'int32');
});

test('softmax and logSoftmax along any dim; large values stay finite', () => {
  const x = tensor([[1, 2, 3], [1000, 1000, 1000]]);
  const s = x.softmax(1).toArray();
  const e = [1, 2, 3].map(Math.exp);
  close(s[0], e.map((v) => v / (e[0] + e[1] + e[2])));
  close(s[1], [1 / 3, 1 / 3, 1 / 3]);
  close(x.logSoftmax(1).exp().toFlatArray(), x.softmax(1).toFlatArray());
  close(x.softmax(0).sum(0).toFlatArray(), [1, 1, 1]);
});

test('layerNorm and rmsNorm match their formulas', () => {
  const x = k.randn([3, 8], { generator: gen });
  const w = k.randn([8], { generator: gen });
  const b = k.randn([8], { generator: gen });
  const mu = x.mean(-1, true);
  const expected = x.sub(mu).div(x.var(-1, { correction: 0, keepdim: true }).add(1e-5).sqrt()).mul(w).add(b);
  close(k.layerNorm(x, [8], w, b).toFlatArray(), expected.toFlatArray(), 1e-4);
  const rms = x.mul(x).mean(-1, true).add(1e-6).rsqrt();
  close(k.rmsNorm(x, [8], w).toFlatArray(), x.mul(rms).mul(w).toFlatArray(), 1e-4);
});

test('embedding, gather, indexSelect', () => {
  const w = tensor([[0, 1], [2, 3], [4, 5]]);
  assert.deepEqual(k.embedding(tensor([[2, 0]], { dtype: 'int32' }), w).toArray(), [[[4, 5], [0, 1]]]);
  assert.throws(() => k.embedding(tensor([3], { dtype: 'int32' }), w), /outside the vocabulary/);
  assert.throws(() => k.embedding(tensor([1]), w), DTypeError);
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(x.gather(1, tensor([[2, 0], [1, 1]], { dtype: 'int32' })).toArray(), [[3, 1], [5, 5]]);
  assert.deepEqual(x.indexSelect(1, tensor([2, 0], { dtype: 'int32' })).toArray(), [[3, 1], [6, 4]]);
  assert.throws(() => x.gather(1, tensor([[5, 0], [0, 0]], { dtype: 'int32' })), /out of range/);
});

test('sort, argsort and topk (stable, ties by index)', () => {
  const x = tensor([[3, 1, 2, 1], [0, 5, 5, -1]]);
  const s = x.sort(1);
  assert.deepEqual(s.values.toArray(), [[1, 1, 2, 3], [-1, 0, 5, 5]]);
  assert.deepEqual(s.indices.toArray(), [[1, 3, 2, 0], [3, 0, 1, 2]]);
  assert.deepEqual(x.argsort(1, true).toArray(), [[0, 2, 1, 3], [1, 2, 0, 3]]);
  const t = x.topk(2, 1);
  assert.deepEqual(t.values.toArray(), [[3, 2], [5, 5]]);
  assert.deepEqual(t.indices.toArray(), [[0, 2], [1, 2]]);
  assert.deepEqual(x.topk(1, 0, false).indices.toArray(), [[1, 0, 0, 1]]);
  assert.throws(() => x.topk(5, 1), ShapeError);
});

test('cumsum, tril, triu', () => {
  assert.deepEqual(tensor([[1, 2, 3], [4, 5, 6]]).cumsum(1).toArray(), [[1, 3, 6], [4, 9, 15]]);
  assert.deepEqual(tensor([[1, 2, 3], [4, 5, 6]]).cumsum(0).toArray(), [[1, 2, 3], [5, 7, 9]]);
  const ones = k.ones([3, 3]);
  assert.deepEqual(ones.tril().toArray(), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
  assert.deepEqual(ones.triu(1).toArray(), [[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
  assert.deepEqual(ones.tril(-1).toArray(), [[0, 0, 0], [1, 0, 0], [1, 1, 0]]);
});

test('cat, stack, split, chunk', () => {
  const a = tensor([[1, 2]]);
  const b = tensor([[3, 4], [5, 6]]);
  assert.deepEqual(k.cat([a, b], 0).toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(k.stack([a, a], 2).toArray(), [[[1, 1], [2, 2]]]);
  assert.throws(() => k.cat([a, b], 1), ShapeError);
  const parts = k.arange(7).split(3);
  assert.deepEqual(parts.map((p) => p.toArray()), [[0, 1, 2], [3, 4, 5], [6]]);
  assert.deepEqual(k.arange(6).chunk(4).map((p) => p.numel()), [2, 2, 2]);
  assert.deepEqual(k.arange(5).split([1, 4]).map((p) => p.numel()), [1, 4]);
});

test('crossEntropy equals -log softmax at the target, averaged over non-ignored', () => {
  const logits = k.randn([4, 6], { generator: gen });
  const targets = tensor([1, -100, 5, 0], { dtype: 'int32' });
  const logp = logits.logSoftmax(1).toArray();
  const expected = -(logp[0][1] + logp[2][5] + logp[3][0]) / 3;
  close([k.crossEntropy(logits, targets).item()], [expected]);
  const none = k.crossEntropy(logits, targets, { reduction: 'none' }).toFlatArray();
  close(none, [-logp[0][1], 0, -logp[2][5], -logp[3][0]]);
  const eps = 0.2;
  const smooth = k.crossEntropy(logits, tensor([2, 3, 4, 5], { dtype: 'int32' }), { labelSmoothing: eps, reduction: 'sum' }).item();
  let ref = 0;
  [2, 3, 4, 5].forEach((t, r) => { ref += (1 - eps) * -logp[r][t] + eps * -logp[r].reduce((s: number, v: number) => s + v, 0) / 6; });
  close([smooth], [ref]);
  assert.throws(() => k.crossEntropy(logits, tensor([1, 2, 3, 9], { dtype: 'int32' })), /target 9/);
  assert.throws(() => k.crossEntropy(logits, tensor([1, 2, 3])), DTypeError);
});

test('bceWithLogits and mseLoss match their formulas', () => {
  const x = tensor([-30, -1, 0, 2, 40]);
  const y = tensor([0, 1, 1, 0, 1]);
  const ref = [-30, -1, 0, 2, 40].map((v, i) => {
    const t = [0, 1, 1, 0, 1][i];
    return Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
  });
  close([k.bceWithLogits(x, y).item()], [ref.reduce((a, b) => a + b) / 5]);
  close([k.mseLoss(tensor([1, 2]), tensor([3, 5])).item()], [6.5]);
});

test('fused attention equals softmax(q k^T * scale + mask) v, and returns the probabilities', () => {
  const q = k.randn([2, 3, 4, 5], { generator: gen });
  const kk = k.randn([2, 3, 6, 5], { generator: gen });
  const v = k.randn([2, 3, 6, 5], { generator: gen });
  const mask = tensor([[0, 0, 0, 0, -1e9, -1e9], [0, 0, 0, 0, 0, 0]]).reshape([2, 1, 1, 6]);
  const { output, probs } = k.scaledDotProductAttention(q, kk, v, { mask, causal: true, returnProbs: true });
  const scores = q.matmul(kk.transpose(-1, -2)).mul(1 / Math.sqrt(5)).add(mask);
  const causal = k.ones([4, 6]).triu(3).mul(-1e9); // query i sees keys <= i + 2
  const p = scores.add(causal).softmax(-1);
  close(probs!.toFlatArray(), p.toFlatArray());
  close(output.toFlatArray(), p.matmul(v).toFlatArray());
});

test('dropout: identity in eval, scaled mask in training, reproducible by generator', () => {
  const x = k.ones([1000]);
  assert.equal(k.dropout(x, 0.5, false), x);
  const y = k.dropout(x, 0.25, true, new Generator(1));
  const kept = y.gt(0).sum().item();
  assert.ok(kept > 650 && kept < 850);
  close([y.max().item()], [1 / 0.75]);
  assert.deepEqual(k.dropout(x, 0.25, true, new Generator(1)).toFlatArray(), y.toFlatArray());
});

test('the dropout mask keeps exactly the elements whose 32-bit draw is at least p * 2^32, draws as nextUint32 gives them', () => {
  for (const p of [0.1, 0.25, 0.5, 1e-9, 0.999]) {
    const fast = new Generator(42), slow = new Generator(42);
    const mask = new Float32Array(4099);
    fast.dropoutMask(mask, p, 7);
    const want = Float32Array.from(mask, () => (slow.nextUint32() / 4294967296 >= p ? 7 : 0));
    assert.deepEqual(mask, want, `p=${p}`);
    assert.deepEqual(fast.getState(), slow.getState(), 'the generator moved on by one draw per element');
  }
});

test('fillNormal writes mean + std * normal(), the values normal() gives one by one, across odd lengths', () => {
  const fast = new Generator(7), slow = new Generator(7);
  for (const n of [1, 4, 0, 3, 1000, 5]) {  // odd lengths leave a spare for the next call
    const got = new Float32Array(n);
    fast.fillNormal(got, 0.5, 0.02);
    const want = Float32Array.from(got, () => 0.5 + 0.02 * slow.normal());
    // exact on the reference backend; the native one's log/cos/sin may flip a rare last bit
    for (let i = 0; i < n; i++) assert.ok(Math.abs(got[i] - want[i]) <= 2 ** -22 * Math.abs(want[i]), `n ${n} [${i}]: ${got[i]} vs ${want[i]}`);
    const [a, b] = [fast.getState(), slow.getState()];
    assert.deepEqual(a.slice(0, 4), b.slice(0, 4));
    assert.ok(Number.isNaN(a[4]) ? Number.isNaN(b[4]) : Math.abs(a[4] - b[4]) <= 1e-15 * Math.abs(b[4]), 'the same spare normal is kept');
  }
  // randn and normal_ draw through it; normal_ on a contiguous view writes that view's elements only
  const x = k.randn([3, 5], { generator: new Generator(3) });
  const g = new Generator(3);
  assert.ok((x.toArray() as number[][]).flat().every((v) => Math.abs(v - g.normal()) < 1e-6));
  const whole = k.zeros([4, 3]);
  k.nn.init.normal_(whole.narrow(0, 1, 2), 1, 0.5, new Generator(5));
  const g5 = new Generator(5);
  const rows = whole.toArray() as number[][];
  assert.deepEqual([rows[0], rows[3]], [[0, 0, 0], [0, 0, 0]], 'rows outside the view untouched');
  assert.ok([...rows[1], ...rows[2]].every((v) => Math.abs(v - (1 + 0.5 * g5.normal())) < 1e-6), 'the view holds the draws');
});

test('topk equals the first k of a stable sort, with ties and NaN, both directions', () => {
  const g = new Generator(21);
  for (let trial = 0; trial < 200; trial++) {
    const cols = 1 + g.randint(0, 40);
    const kk = g.randint(0, cols + 1);
    const largest = g.random() < 0.5;
    const x = k.tensor(Array.from({ length: cols }, () => (g.random() < 0.1 ? NaN : g.randint(0, 6))));
    const top = x.topk(kk, 0, largest);
    const sorted = x.sort(0, largest);
    assert.deepEqual(top.indices.toArray(), sorted.indices.toArray().slice(0, kk));
  }
});
