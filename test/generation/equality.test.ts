/**
 * The cache changes nothing but speed: generation with it gives exactly the tokens of generation
 * without it; a left-padded batch gives the tokens of each prompt generated alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/generation/index.js';
import { KeyValueCache, Tensor } from '../../src/index.js';
import { fixtureModel, generateArgs, generateCases, rowsOf } from './helpers.js';

for (const folder of ['gpt2-tiny', 't5-tiny-v1_1']) {
  for (const c of generateCases(folder)) {
    test(`${folder}: ${c.name} gives the same tokens with and without the cache`, async () => {
      const model = await fixtureModel(folder);
      const { inputIds, options } = generateArgs(c);
      const withCache = generate(model, inputIds, { ...options, useCache: true });
      const without = generate(model, inputIds, { ...options, useCache: false });
      assert.deepEqual(rowsOf(withCache), rowsOf(without));
    });
  }
}

// Processors that read the ids (repetitionPenalty, noRepeatNgramSize) see the pad ids of a
// left-padded row, as in transformers, so only id-independent options are compared here.
test('gpt2-tiny: a left-padded batch gives the tokens of each prompt alone', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const prompts = [[29, 27, 22, 24, 40, 81, 7], [54, 71, 1, 93], [5, 6]];
  const width = Math.max(...prompts.map((p) => p.length));
  const padded = prompts.map((p) => [...new Array(width - p.length).fill(0), ...p]);
  const mask = prompts.map((p) => [...new Array(width - p.length).fill(0), ...new Array(p.length).fill(1)]);
  for (const extra of [{}, { minNewTokens: 9, eosTokenId: 27 }]) {
    const batch = rowsOf(generate(model, padded, { maxNewTokens: 10, eosTokenId: 100, padTokenId: 0, attentionMask: mask, ...extra }));
    prompts.forEach((p, i) => {
      const alone = rowsOf(generate(model, [p], { maxNewTokens: 10, eosTokenId: 100, padTokenId: 0, ...extra }))[0];
      const generated = alone.slice(p.length);
      assert.deepEqual(batch[i].slice(width, width + generated.length), generated, `prompt ${i}`);
    });
  }
});

test('gpt2-tiny: beam search on a left-padded batch matches each prompt alone', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const prompts = [[29, 33, 98, 27, 12], [85, 14, 63]];
  const padded = [prompts[0], [0, 0, ...prompts[1]]];
  const mask = [[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]];
  const opts = { maxNewTokens: 6, numBeams: 3, eosTokenId: 99, padTokenId: 0 };
  const batch = generate(model, padded, { ...opts, attentionMask: mask, returnDictInGenerate: true });
  prompts.forEach((p, i) => {
    const alone = generate(model, [p], { ...opts, returnDictInGenerate: true });
    const mine = rowsOf(batch.sequences)[i].slice(5);
    const ref = rowsOf(alone.sequences)[0].slice(p.length);
    assert.deepEqual(mine.slice(0, ref.length), ref, `prompt ${i}`);
    assert.ok(Math.abs(batch.sequencesScores!.toFlatArray()[i] - alone.sequencesScores!.item()) < 1e-4);
  });
});

test('gpt2-tiny: the cache grows by doubling, not by copying the past at every step', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const buffers = new Set<unknown>();
  const forward = model.forward.bind(model);
  const spy = Object.create(model);
  spy.forward = (inputs: any) => {
    const out = forward(inputs);
    buffers.add((out.pastKeyValues as any).selfAttention[0].keyBuffer);
    return out;
  };
  const out = generate(spy, [[1, 2, 3]], { maxNewTokens: 40, eosTokenId: null, padTokenId: 0, returnDictInGenerate: true });
  const cache = out.pastKeyValues as KeyValueCache;
  assert.ok(cache instanceof KeyValueCache);
  assert.equal(cache.length, 3 + 40 - 1, 'every position but the last generated token is cached');
  assert.ok(buffers.size <= 1 + Math.ceil(Math.log2(42)), `the buffer was reallocated ${buffers.size} times in 40 steps`);
  assert.ok(out.sequences instanceof Tensor);
});

test('a tokenizer output { inputIds, attentionMask } is accepted as the prompt', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const encoding = { inputIds: [[0, 0, 5, 6], [1, 2, 3, 4]], attentionMask: [[0, 0, 1, 1], [1, 1, 1, 1]] };
  const a = rowsOf(model.generate(encoding, { maxNewTokens: 5 }));
  const b = rowsOf(generate(model, encoding.inputIds, { maxNewTokens: 5, attentionMask: encoding.attentionMask }));
  assert.deepEqual(a, b);
  assert.deepEqual(a[0].slice(4), rowsOf(generate(model, [[5, 6]], { maxNewTokens: 5 }))[0].slice(2));
});
