/**
 * `kotoba demo`: the main job until the shipped models exist — a small end-to-end run that
 * trains a 2-layer network with the source document's loop (zeroGrad, backward, step) and prints
 * its loss falling and its accuracy.
 */
import { backendInfo } from '../backend/index.js';
import { AdamW, CrossEntropyLoss, Generator, Linear, Module, noGrad, randn, type Tensor } from '../index.js';

class TwoLayerNet extends Module {
  hidden: Linear;
  out: Linear;
  constructor(gen: Generator) {
    super();
    this.hidden = new Linear(2, 32, { generator: gen });
    this.out = new Linear(32, 2, { generator: gen });
  }
  override forward(x: Tensor): Tensor {
    return this.out.forward(this.hidden.forward(x).relu());
  }
}

export function runDemo(log: (line: string) => void = console.log): { firstLoss: number; lastLoss: number; accuracy: number } {
  const gen = new Generator(0);
  const info = backendInfo();
  log(`Kotoba demo — kernels: ${info.name} (${info.isa}, ${info.threads} thread${info.threads === 1 ? '' : 's'})`);
  log('Task: points in the plane, label = whether x and y have the same sign (not linearly separable).');
  const x = randn([512, 2], { generator: gen });
  const labels = x.select(1, 0).mul(x.select(1, 1)).gt(0);
  const model = new TwoLayerNet(gen);
  log(`Model: Linear(2, 32) -> ReLU -> Linear(32, 2), ${model.numParameters()} parameters`);
  const optimizer = new AdamW(model.parameters(), { lr: 0.01 });
  const lossFn = new CrossEntropyLoss();
  const epochs = 200;
  let firstLoss = NaN;
  let lastLoss = NaN;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = lossFn.forward(model.forward(x), labels);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    lastLoss = loss.item();
    if (epoch === 1) firstLoss = lastLoss;
    if (epoch === 1 || epoch % 20 === 0) log(`Epoch ${epoch}/${epochs} - Loss: ${lastLoss.toFixed(4)}`);
  }
  const test = randn([512, 2], { generator: gen });
  const testLabels = test.select(1, 0).mul(test.select(1, 1)).gt(0);
  const accuracy = noGrad(() => model.forward(test).argmax(1).eq(testLabels).float().mean().item());
  log(`Held-out accuracy: ${(accuracy * 100).toFixed(1)}%`);
  return { firstLoss, lastLoss, accuracy };
}
