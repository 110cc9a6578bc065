import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AdamW, BertForSequenceClassification, GPT2LMHeadModel, readSafetensors, Tensor } from '../../src/index.js';
import { assertClose } from '../helpers/fixtures.js';
import { forwardInputs, loadCases, modelFolder } from './fixture-cases.js';

/** Drops the flat [start, end) ranges the fixture marks unstable (zero true gradient). */
function stable(values: number[], ranges: [number, number][] | undefined): number[] {
  if (!ranges) return values;
  return values.filter((_, i) => !ranges.some(([s, e]) => i >= s && i < e));
}

for (const [folder, cls] of [['bert-tiny-cls', BertForSequenceClassification], ['gpt2-tiny', GPT2LMHeadModel]] as const) {
  test(`${folder}: 3 AdamW steps match PyTorch (losses, first gradients, parameters after)`, async () => {
    const c = loadCases(folder).cases.find((x: any) => x.kind === 'train');
    const model = await (cls as any).fromPretrained(modelFolder(folder));
    const tol = { atol: c.tolerance.atol, rtol: c.tolerance.rtol };
    const o = c.optimizer;
    const optimizer = new AdamW(model.parameters(), { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay });
    const inputs = forwardInputs(c);
    const params = model.stateDict() as Record<string, Tensor>;
    for (let step = 0; step < 3; step++) {
      optimizer.zeroGrad();
      const loss = model.forward(inputs).loss as Tensor;
      assertClose(loss.item(), c.expected.losses[step], tol, `losses[${step}]`);
      loss.backward();
      if (step === 0) {
        for (const [name, g] of Object.entries(c.expected.grads_step0)) assertClose(params[name].grad!, g as any, tol, `grad ${name}`);
      }
      optimizer.step();
    }
    assertClose(model.forward(inputs).loss.item(), c.expected.loss_after, tol, 'loss_after');
    const after = readSafetensors(join(modelFolder(folder), c.expected.params_after_file)).tensors;
    const unstable = c.expected.unstable_entries ?? {};
    let compared = 0;
    for (const [name, t] of after) {
      const actual = params[name];
      assert.ok(actual, `parameter ${name}`);
      const ranges = unstable[name];
      const exp = stable(Array.from(t.data), ranges);
      const act = stable(actual.toFlatArray(), ranges);
      assertClose(Tensor.fromArray(Float32Array.from(act), [act.length]), { dtype: 'float32', shape: [exp.length], data: exp }, tol, `params_after ${name}`);
      compared++;
    }
    assert.ok(compared > 10);
  });
}
