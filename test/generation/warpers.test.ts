/** top-k / top-p / temperature warpers against the functional fixture (kind logits_warper). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogitsProcessorList, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper } from '../../src/generation/index.js';
import { softmax, Tensor } from '../../src/index.js';
import { assertClose, fromFixture, loadCases } from '../helpers/fixtures.js';

const cases = loadCases('functional').cases.filter((c: any) => c.kind === 'logits_warper');

function warper(step: any) {
  if (step.op === 'temperature') return new TemperatureLogitsWarper(step.temperature);
  if (step.op === 'top_k') return new TopKLogitsWarper(step.top_k, step.min_tokens_to_keep ?? 1);
  if (step.op === 'top_p') return new TopPLogitsWarper(step.top_p, step.min_tokens_to_keep ?? 1);
  throw new Error(`unknown op ${step.op}`);
}

test('the functional fixture has warper cases', () => assert.ok(cases.length >= 8));

for (const c of cases) {
  test(`logits warper ${c.name}`, () => {
    const scores = fromFixture(c.inputs.scores);
    const ids = Tensor.fromArray(new Int32Array(scores.shape[0]), [scores.shape[0], 1]);
    const out = new LogitsProcessorList(c.pipeline.map(warper)).process(ids, scores);
    const kept = Array.from(out.contiguousData(), (v) => (Number.isFinite(v) ? 1 : 0));
    assert.deepEqual(kept, c.expected.kept.data, 'kept entries');
    assertClose(out, c.expected.scores, c.tolerance, 'scores');
    assertClose(softmax(out, -1), c.expected.probs, c.tolerance, 'probs');
  });
}
