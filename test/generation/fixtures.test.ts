/** Greedy and beam search reproduce transformers token for token on the fixture models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/generation/index.js';
import { assertClose } from '../helpers/fixtures.js';
import { fixtureModel, generateArgs, generateCases, modelFolder } from './helpers.js';

for (const folder of ['gpt2-tiny', 't5-tiny-v1_0', 't5-tiny-v1_1', 't5-tiny-bf16']) {
  for (const c of generateCases(folder)) {
    test(`${folder}: generate ${c.name}`, async () => {
      const model = await fixtureModel(folder);
      const { inputIds, options } = generateArgs(c);
      const out = generate(model, inputIds, { ...options, returnDictInGenerate: true });
      assert.deepEqual([...out.sequences.shape], c.expected.sequences.shape, 'shape');
      assert.deepEqual(Array.from(out.sequences.contiguousData()), c.expected.sequences.data, 'token ids');
      if (c.expected.sequences_scores) {
        assert.ok(out.sequencesScores, 'sequencesScores');
        assertClose(out.sequencesScores, c.expected.sequences_scores, { atol: 1e-4, rtol: 1e-4 }, 'sequencesScores');
      }
      // model.generate() without returnDictInGenerate returns the same sequences tensor
      const plain = model.generate(inputIds, options);
      assert.deepEqual(Array.from(plain.contiguousData()), c.expected.sequences.data);
    });
  }
}

test('encoder-only models and models without an LM head cannot generate', async () => {
  const { AutoModel, AutoModelForMaskedLM } = await import('../../src/index.js');
  const bert = await AutoModelForMaskedLM.fromPretrained(modelFolder('bert-tiny-mlm'), { onWarning: () => {} });
  assert.throws(() => bert.generate([[1, 2, 3]]), /encoder-only model and cannot generate/);
  const base = await AutoModel.fromPretrained(modelFolder('gpt2-tiny'), { onWarning: () => {} });
  assert.throws(() => base.generate([[1, 2, 3]], { maxNewTokens: 2 }), /has no language-model head/);
});
