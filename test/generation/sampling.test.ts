/** Sampling is reproducible with a seed; logprobs and finish reasons are reported on request. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from '../../src/generation/index.js';
import { Generator, logSoftmax } from '../../src/index.js';
import { fixtureModel, rowsOf } from './helpers.js';

const prompt = [[29, 27, 22, 24, 40, 81, 7]];

test('sampling with a seed gives the same tokens every time; another seed other tokens', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const opts = { doSample: true, maxNewTokens: 12, temperature: 1.5, topK: 0, eosTokenId: null, padTokenId: 0 };
  const a = rowsOf(generate(model, prompt, { ...opts, seed: 7 }));
  const b = rowsOf(generate(model, prompt, { ...opts, seed: 7 }));
  const c = rowsOf(generate(model, prompt, { ...opts, seed: 8 }));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const g = rowsOf(generate(model, prompt, { ...opts, generator: new Generator(7) }));
  assert.deepEqual(g, a, 'a Generator seeded alike draws alike');
  const cached = rowsOf(generate(model, prompt, { ...opts, seed: 7, useCache: false }));
  assert.deepEqual(cached, a, 'sampling with and without the cache');
});

test('numReturnSequences rows per prompt; topK 1 sampling equals greedy', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const out = generate(model, [[1, 2, 3], [4, 5, 6]], { doSample: true, numReturnSequences: 3, maxNewTokens: 4, seed: 1 });
  assert.deepEqual([...out.shape], [6, 7]);
  const rows = rowsOf(out);
  for (let i = 0; i < 6; i++) assert.deepEqual(rows[i].slice(0, 3), i < 3 ? [1, 2, 3] : [4, 5, 6]);
  const greedy = rowsOf(generate(model, prompt, { maxNewTokens: 8 }));
  const top1 = rowsOf(generate(model, prompt, { maxNewTokens: 8, doSample: true, topK: 1, seed: 3 }));
  assert.deepEqual(top1, greedy);
});

test('per-token logprobs are log_softmax of the raw logits; finish reasons stop and length', async () => {
  const model = await fixtureModel('gpt2-tiny');
  // the fixture's greedy_eos case: row 0 ends with eos 55 after 4 tokens, row 1 runs to the limit
  const ids = [[35, 92, 92, 38, 65, 78, 86], [0, 0, 0, 18, 14, 87, 10]];
  const attentionMask = [[1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1]];
  const out = generate(model, ids, {
    attentionMask, maxNewTokens: 8, eosTokenId: 55, padTokenId: 0,
    returnDictInGenerate: true, outputLogprobs: true, topLogprobs: 3, outputLogits: true, outputScores: true,
  });
  assert.deepEqual(out.finishReasons, ['stop', 'length']);
  assert.equal(out.tokenLogprobs![0].length, 4, 'row 0 has logprobs up to its eos');
  assert.equal(out.tokenLogprobs![1].length, 8);
  assert.equal(out.logits!.length, 8);
  assert.equal(out.scores!.length, 8);
  const rows = rowsOf(out.sequences);
  for (let step = 0; step < 8; step++) {
    const logp = logSoftmax(out.logits![step], -1).toArray() as number[][];
    const token = rows[1][7 + step];
    assert.ok(Math.abs(out.tokenLogprobs![1][step] - logp[1][token]) < 1e-6);
    const top = out.topLogprobs![1][step];
    assert.equal(top.length, 3);
    assert.equal(top[0].tokenId, token, 'greedy picks the most likely token');
    assert.ok(top[0].logprob >= top[1].logprob && top[1].logprob >= top[2].logprob);
  }
});

test('beam search reports stop for a hypothesis ending in eos', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const out = generate(model, [[85, 14, 63, 63, 4]], { numBeams: 3, maxNewTokens: 8, eosTokenId: 99, padTokenId: 0, returnDictInGenerate: true });
  assert.deepEqual(out.finishReasons, ['stop']);
  const noEos = generate(model, [[29, 33, 98, 27, 12]], { numBeams: 3, maxNewTokens: 8, eosTokenId: 100, padTokenId: 0, returnDictInGenerate: true, numReturnSequences: 2 });
  assert.deepEqual(noEos.finishReasons, ['length', 'length']);
  assert.equal(noEos.sequences.shape[0], 2);
  const s = noEos.sequencesScores!.toFlatArray();
  assert.ok(s[0] >= s[1], 'returned best first');
});

test('T5 sampling with a seed is reproducible and starts with the decoder start token', async () => {
  const model = await fixtureModel('t5-tiny-v1_0');
  const opts = { doSample: true, maxNewTokens: 6, seed: 11, topP: 0.9 };
  const a = rowsOf(generate(model, [[4, 101, 74, 21]], opts));
  const b = rowsOf(generate(model, [[4, 101, 74, 21]], opts));
  assert.deepEqual(a, b);
  assert.equal(a[0][0], 0);
});
