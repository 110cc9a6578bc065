import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Adam, AdamW, clipGradNorm, getConstantScheduleWithWarmup, getCosineScheduleWithWarmup, getLinearScheduleWithWarmup,
  OptionError, Parameter, SGD, tensor,
} from '../../src/index.js';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${a} vs ${b}`);

test('SGD with momentum, dampening, Nesterov and weight decay follows torch.optim.SGD', () => {
  for (const opts of [{ momentum: 0 }, { momentum: 0.9 }, { momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }, { momentum: 0.8, nesterov: true }]) {
    const p = new Parameter(tensor([1, -2]));
    const opt = new SGD([p], { lr: 0.1, ...opts });
    const grads = [[0.5, -1], [0.2, 0.3], [-0.4, 0.1]];
    // reference: the update rule of torch.optim.SGD written out in float64
    let ref = [1, -2];
    let buf: number[] | null = null;
    const m = opts.momentum ?? 0, damp = (opts as any).dampening ?? 0, wd = (opts as any).weightDecay ?? 0, nest = (opts as any).nesterov ?? false;
    for (const g of grads) {
      p.grad = tensor(g);
      opt.step();
      let d = g.map((v, i) => v + wd * ref[i]);
      if (m !== 0) {
        buf = buf ? buf.map((b, i) => m * b + (1 - damp) * d[i]) : [...d];
        d = nest ? d.map((v, i) => v + m * buf![i]) : buf;
      }
      ref = ref.map((v, i) => v - 0.1 * d[i]);
    }
    p.toFlatArray().forEach((v, i) => close(v, ref[i], 1e-6));
  }
});

test('Adam adds L2 weight decay to the gradient, AdamW decays the weights', () => {
  const pa = new Parameter(tensor([1]));
  const pw = new Parameter(tensor([1]));
  const adam = new Adam([pa], { lr: 0.1, weightDecay: 0.5 });
  const adamw = new AdamW([pw], { lr: 0.1, weightDecay: 0.5 });
  pa.grad = tensor([0.2]);
  pw.grad = tensor([0.2]);
  adam.step();
  adamw.step();
  // step 1: Adam sees g = 0.2 + 0.5 * 1 = 0.7, m/sqrt(v) = sign(g) = 1 -> p = 1 - 0.1
  close(pa.item(), 0.9, 1e-6);
  // AdamW: p = 1 * (1 - 0.1 * 0.5) - 0.1 * 1 = 0.85
  close(pw.item(), 0.85, 1e-6);
});

test('optimizer state dicts restore exactly the same trajectory', () => {
  const run = (steps: number, resumeAt?: number) => {
    let p = new Parameter(tensor([0.5, -0.3, 2]));
    let opt = new AdamW([p], { lr: 0.05 });
    for (let s = 0; s < steps; s++) {
      if (s === resumeAt) {
        const saved = opt.stateDict();
        const values = p.clone().detach();
        p = new Parameter(values);
        opt = new AdamW([p], { lr: 0.05 });
        opt.loadStateDict(saved);
      }
      p.grad = tensor([Math.sin(s), Math.cos(s), 0.1 * s]);
      opt.step();
    }
    return p.toFlatArray();
  };
  assert.deepEqual(run(6, 3), run(6));
});

test('hyper-parameters out of range are OptionErrors naming the option', () => {
  const p = [new Parameter(tensor([1]))];
  assert.throws(() => new AdamW(p, { lr: -1 }), (e: Error) => e instanceof OptionError && /learning rate/.test(e.message));
  assert.throws(() => new AdamW(p, { betas: [0.9, 1] }), /beta at index 1/);
  assert.throws(() => new SGD(p, { momentum: -0.1 }), /momentum/);
  assert.throws(() => new SGD(p, { nesterov: true }), /nesterov/);
});

test('zeroGrad clears gradients; parameter groups keep their own lr', () => {
  const a = new Parameter(tensor([1]));
  const b = new Parameter(tensor([1]));
  const opt = new SGD([{ params: [a] }, { params: [b], lr: 1 }], { lr: 0.1 });
  a.grad = tensor([1]);
  b.grad = tensor([1]);
  opt.step();
  close(a.item(), 0.9);
  close(b.item(), 0);
  opt.zeroGrad();
  assert.equal(a.grad, null);
});

test("schedules follow Hugging Face's formulas step by step", () => {
  const factors = (make: (o: SGD) => { step(): void; getLastLr(): number[] }, steps: number) => {
    const opt = new SGD([new Parameter(tensor([0]))], { lr: 2 });
    const s = make(opt);
    const out = [s.getLastLr()[0] / 2];
    for (let i = 0; i < steps; i++) { s.step(); out.push(s.getLastLr()[0] / 2); }
    return out;
  };
  const linear = factors((o) => getLinearScheduleWithWarmup(o, 2, 6), 7);
  [0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0].forEach((v, i) => close(linear[i], v));
  const cosine = factors((o) => getCosineScheduleWithWarmup(o, 1, 5), 5);
  [0, 1, 0.5 * (1 + Math.cos(Math.PI * 0.25)), 0.5, 0.5 * (1 + Math.cos(Math.PI * 0.75)), 0].forEach((v, i) => close(cosine[i], v));
  const constant = factors((o) => getConstantScheduleWithWarmup(o, 4), 5);
  [0, 0.25, 0.5, 0.75, 1, 1].forEach((v, i) => close(constant[i], v));
});

test('clipGradNorm scales all gradients together and returns the norm before clipping', () => {
  const a = new Parameter(tensor([3]));
  const b = new Parameter(tensor([0, 0]));
  a.grad = tensor([3]);
  b.grad = tensor([0, 4]);
  const norm = clipGradNorm([a, b], 1);
  close(norm, 5);
  close(a.grad.item(), 3 / (5 + 1e-6));
  close(b.grad.toFlatArray()[1], 4 / (5 + 1e-6));
  const inf = clipGradNorm([a, b], 100, Infinity);
  close(inf, 4 / (5 + 1e-6));
});
