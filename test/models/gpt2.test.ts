import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GPT2LMHeadModel, GPT2Model, KeyValueCache, noGrad, type Tensor } from '../../src/index.js';
import { fromFixture } from '../helpers/fixtures.js';
import { checkForwardCase, compareOutput, loadCases, modelFolder, tolerance } from './fixture-cases.js';

const CLASSES: Record<string, any> = { GPT2Model, GPT2LMHeadModel };
const folder = 'gpt2-tiny';
const { cases } = loadCases(folder);

for (const c of cases.filter((x: any) => x.kind === 'forward')) {
  test(`${folder}: ${c.name} (${c.model_class})`, async () => {
    const model = await CLASSES[c.model_class].fromPretrained(modelFolder(folder), { onWarning: () => {} });
    checkForwardCase(model, c);
  });
}

test(`${folder}: incremental decoding with pastKeyValues matches the reference`, async () => {
  const c = cases.find((x: any) => x.kind === 'incremental');
  const model = await GPT2LMHeadModel.fromPretrained(modelFolder(folder));
  noGrad(() => {
    let o = model.forward({ inputIds: fromFixture(c.inputs.prefix_input_ids), useCache: true });
    compareOutput(o.logits, c.expected.prefix_logits, tolerance(c, 'prefix_logits'), 'prefix_logits');
    const cache = o.pastKeyValues!;
    assert.ok(cache instanceof KeyValueCache);
    c.inputs.step_input_ids.forEach((step: any, i: number) => {
      o = model.forward({ inputIds: fromFixture(step), pastKeyValues: o.pastKeyValues, useCache: true });
      compareOutput(o.logits, c.expected.step_logits[i], tolerance(c, 'step_logits'), `step_logits[${i}]`);
    });
    assert.equal(o.pastKeyValues, cache, 'the cache is appended to in place');
    compareOutput(cache.toLegacy(), c.expected.past_key_values, tolerance(c, 'past_key_values'), 'past_key_values');
    // legacy tuples are accepted as input too
    const again = model.forward({ inputIds: fromFixture(c.inputs.step_input_ids[0]), pastKeyValues: cache.toLegacy().map((l) => l.map((t: Tensor) => t.narrow(2, 0, 5))) });
    assert.deepEqual([...again.logits.shape], [2, 1, 101]);
  });
});
