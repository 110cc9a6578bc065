import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdamW, Parameter } from '../../src/index.js';
import { assertClose, fromFixture, loadCases } from '../helpers/fixtures.js';

const { cases } = loadCases('adamw');

for (const c of cases) {
  test(`AdamW matches torch.optim.AdamW: ${c.name}`, () => {
    const h = c.hyperparameters;
    const params = c.inputs.params.map((p: any) => new Parameter(fromFixture(p)));
    const opt = new AdamW(params, { lr: h.lr, betas: h.betas, eps: h.eps, weightDecay: h.weight_decay, maximize: h.maximize });
    c.inputs.grads_per_step.forEach((grads: any[], step: number) => {
      opt.zeroGrad();
      params.forEach((p: Parameter, i: number) => { p.grad = fromFixture(grads[i]); });
      opt.step();
      params.forEach((p: Parameter, i: number) => assertClose(p, c.expected.params_per_step[step][i], c.tolerance, `step ${step} param ${i}`));
    });
    params.forEach((p: Parameter, i: number) => {
      const s = opt.state.get(p)!;
      assert.equal(s.step, c.expected.step);
      assertClose(s.expAvg as any, c.expected.exp_avg[i], c.tolerance, `exp_avg ${i}`);
      assertClose(s.expAvgSq as any, c.expected.exp_avg_sq[i], c.tolerance, `exp_avg_sq ${i}`);
    });
  });
}
