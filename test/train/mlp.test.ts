/** The seed's loop shape on a 2-layer MLP: zeroGrad, backward, step, item. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamW, CrossEntropyLoss, Generator, Linear, Module, noGrad, randn, type Tensor } from '../../src/index.js';

class MLP extends Module {
  fc1: Linear;
  fc2: Linear;
  constructor(gen: Generator) {
    super();
    this.fc1 = new Linear(2, 32, { generator: gen });
    this.fc2 = new Linear(32, 2, { generator: gen });
  }
  override forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

/** Two interleaved half-moon-like classes: label = x0 * x1 > 0 (XOR of signs), not linearly separable. */
function dataset(n: number, gen: Generator) {
  const x = randn([n, 2], { generator: gen });
  const y = x.select(1, 0).mul(x.select(1, 1)).gt(0);
  return { x, y };
}

test('a 2-layer MLP learns a non-linear task to >= 95% accuracy with AdamW and cross-entropy', () => {
  const gen = new Generator(0);
  const train = dataset(512, gen);
  const held = dataset(512, gen);
  const model = new MLP(gen);
  const optimizer = new AdamW(model.parameters(), { lr: 0.01 });
  const lossFn = new CrossEntropyLoss();
  const losses: number[] = [];
  for (let epoch = 0; epoch < 300; epoch++) {
    const logits = model.forward(train.x);
    const loss = lossFn.forward(logits, train.y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  assert.ok(losses[losses.length - 1] < losses[0] / 4, `loss fell from ${losses[0]} to ${losses[losses.length - 1]}`);
  const accuracy = noGrad(() => model.forward(held.x).argmax(1).eq(held.y).float().mean().item());
  assert.ok(accuracy >= 0.95, `held-out accuracy ${accuracy}`);
});
