import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CrossEntropyLoss, Dropout, Embedding, Generator, LayerNorm, Linear, Module, ModuleList, Parameter, RMSNorm, Sequential,
  StateDictError, nn, randn, tensor, zeros,
} from '../../src/index.js';

class Block extends Module {
  fc = new Linear(4, 3, { generator: new Generator(1) });
  norm = new LayerNorm(3);
  drop = new Dropout(0.1);
  override forward(x: ReturnType<typeof randn>) {
    return this.drop.forward(this.norm.forward(this.fc.forward(x)));
  }
}

class Net extends Module {
  embed = new Embedding(10, 4, { paddingIdx: 0, generator: new Generator(2) });
  layers = new ModuleList([new Block(), new Block()]);
  head: Linear;
  constructor() {
    super();
    this.head = new Linear(3, 10, { bias: false });
    this.registerBuffer('positionIds', tensor([0, 1, 2], { dtype: 'int32' }), { persistent: false });
    this.registerBuffer('scale', tensor([2]));
  }
}

test('parameters and state dict follow the module tree with dotted names', () => {
  const net = new Net();
  const names = net.namedParameters().map(([n]) => n);
  assert.deepEqual(names, [
    'embed.weight',
    'layers.0.fc.weight', 'layers.0.fc.bias', 'layers.0.norm.weight', 'layers.0.norm.bias',
    'layers.1.fc.weight', 'layers.1.fc.bias', 'layers.1.norm.weight', 'layers.1.norm.bias',
    'head.weight',
  ]);
  const sd = net.stateDict();
  assert.ok('scale' in sd);
  assert.ok(!('positionIds' in sd), 'non-persistent buffers are not saved');
  assert.equal(net.numParameters(), 40 + 2 * (12 + 3 + 3 + 3) + 30);
});

test('tied parameters appear once in parameters() and under both names in the state dict', () => {
  class Tied extends Module {
    a = new Linear(2, 2);
    b = new Linear(2, 2);
    constructor() { super(); this.b.weight = this.a.weight; }
  }
  const m = new Tied();
  assert.equal(m.parameters().length, 3);
  assert.ok('a.weight' in m.stateDict() && 'b.weight' in m.stateDict());
});

test('loadStateDict copies in place, and names every missing, unexpected and mismatched key', () => {
  const src = new Net();
  const dst = new Net();
  const before = dst.layers.get(0).fc.weight;
  dst.loadStateDict(src.stateDict());
  assert.equal(dst.layers.get(0).fc.weight, before, 'parameters keep their identity (optimizers hold them)');
  assert.deepEqual(dst.layers.get(0).fc.weight.toArray(), src.layers.get(0).fc.weight.toArray());

  const sd = src.stateDict();
  delete sd['head.weight'];
  sd['extra.weight'] = zeros([1]);
  assert.throws(() => dst.loadStateDict(sd), (e: Error) => e instanceof StateDictError && /missing keys: head\.weight/.test(e.message) && /unexpected keys: extra\.weight/.test(e.message));
  const r = dst.loadStateDict(sd, { strict: false });
  assert.deepEqual(r, { missingKeys: ['head.weight'], unexpectedKeys: ['extra.weight'] });

  const bad = src.stateDict();
  bad['layers.1.fc.bias'] = zeros([5]);
  assert.throws(() => dst.loadStateDict(bad, { strict: false }), (e: Error) => e instanceof StateDictError && /layers\.1\.fc\.bias.*\[5\].*\[3\]/.test(e.message));
});

test('train() and eval() reach every submodule; dropout is off in eval', () => {
  const net = new Net();
  net.eval();
  assert.ok(net.modules().every((m) => !m.training));
  const x = randn([2, 4]);
  const block = net.layers.get(0);
  assert.deepEqual(block.forward(x).toArray(), block.forward(x).toArray());
  net.train();
  assert.ok(net.modules().every((m) => m.training));
});

test("PyTorch's default initializations", () => {
  const lin = new Linear(400, 300, { generator: new Generator(3) });
  const bound = 1 / Math.sqrt(400);
  assert.ok(lin.weight.abs().max().item() <= bound);
  assert.ok(Math.abs(lin.weight.var().item() - (bound * bound) / 3) < 0.05 * (bound * bound) / 3, 'uniform variance');
  const emb = new Embedding(300, 200, { paddingIdx: 1, generator: new Generator(4) });
  assert.ok(Math.abs(emb.weight.var().item() - 1) < 0.05, 'N(0, 1)');
  assert.deepEqual(emb.weight.select(0, 1).toFlatArray(), new Array(200).fill(0));
  const ln = new LayerNorm(5);
  assert.deepEqual(ln.weight!.toArray(), [1, 1, 1, 1, 1]);
  assert.deepEqual(ln.bias!.toArray(), [0, 0, 0, 0, 0]);
  assert.deepEqual(new RMSNorm(3).weight.toArray(), [1, 1, 1]);
});

test('the padding row of an embedding gets no gradient', () => {
  const emb = new Embedding(4, 2, { paddingIdx: 0 });
  emb.forward(tensor([0, 1, 0], { dtype: 'int32' })).sum().backward();
  assert.deepEqual(emb.weight.grad!.toArray(), [[0, 0], [1, 1], [0, 0], [0, 0]]);
});

test('Sequential chains modules; losses are modules', () => {
  const seq = new Sequential(new Linear(3, 4), new nn.ReLU(), new Linear(4, 2));
  const logits = seq.forward(randn([5, 3]));
  assert.deepEqual([...logits.shape], [5, 2]);
  const loss = new CrossEntropyLoss().forward(logits, tensor([0, 1, 1, 0, 1], { dtype: 'int32' }));
  loss.backward();
  assert.ok(seq.parameters().every((p) => p.grad !== null));
  assert.deepEqual(seq.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '2.weight', '2.bias']);
  seq.zeroGrad();
  assert.ok(seq.parameters().every((p) => p.grad === null));
});

test('Parameter requires grad and must be float32', () => {
  assert.equal(new Parameter(zeros([2])).requiresGrad, true);
  assert.throws(() => new Parameter(tensor([1], { dtype: 'int32' })), /float32/);
});
