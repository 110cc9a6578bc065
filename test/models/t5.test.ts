import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyValueCache, nn, noGrad, T5ForConditionalGeneration } from '../../src/index.js';
import { fromFixture } from '../helpers/fixtures.js';
import { checkForwardCase, compareOutput, loadCases, modelFolder, tolerance } from './fixture-cases.js';

for (const folder of ['t5-tiny-v1_0', 't5-tiny-v1_1', 't5-tiny-bf16']) {
  const { cases } = loadCases(folder);
  for (const c of cases.filter((x: any) => x.kind === 'forward')) {
    test(`${folder}: ${c.name}`, async () => {
      const warnings: string[] = [];
      const model = await T5ForConditionalGeneration.fromPretrained(modelFolder(folder), { onWarning: (m) => warnings.push(m) });
      checkForwardCase(model, c);
      assert.deepEqual(warnings, []);
    });
  }
  for (const c of cases.filter((x: any) => x.kind === 'incremental')) {
    test(`${folder}: ${c.name}`, async () => {
      const model = await T5ForConditionalGeneration.fromPretrained(modelFolder(folder));
      noGrad(() => {
        let past: KeyValueCache | undefined;
        c.inputs.step_decoder_input_ids.forEach((step: any, i: number) => {
          const o = model.forward({
            inputIds: fromFixture(c.inputs.input_ids), attentionMask: fromFixture(c.inputs.attention_mask),
            decoderInputIds: fromFixture(step), pastKeyValues: past, useCache: true,
          });
          compareOutput(o.logits, c.expected.step_logits[i], tolerance(c, 'step_logits'), `step_logits[${i}]`);
          past = o.pastKeyValues;
        });
        compareOutput(past!.toLegacy(), c.expected.past_key_values, tolerance(c, 'past_key_values'), 'past_key_values');
      });
    });
  }
}

test('T5 relative position buckets match the reference (functional fixtures)', () => {
  const { cases } = loadCases('functional');
  const bucketCases = cases.filter((x: any) => x.kind === 't5_bucket');
  assert.ok(bucketCases.length >= 6);
  for (const c of bucketCases) {
    const positions = c.inputs.relative_position.data as number[];
    const actual = positions.map((p) => nn.relativePositionBucket(p, { bidirectional: c.params.bidirectional, numBuckets: c.params.num_buckets, maxDistance: c.params.max_distance }));
    assert.deepEqual(actual, c.expected.bucket.data, c.name);
  }
});
