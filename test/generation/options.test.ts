/** Bad options are KotobaErrors that name the option and its allowed range; defaults come from the folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate, resolveGenerationConfig } from '../../src/generation/index.js';
import { KotobaError, Tensor } from '../../src/index.js';
import { fixtureModel, rowsOf } from './helpers.js';

const bad: [Record<string, unknown>, RegExp][] = [
  [{ temperature: -1 }, /temperature must be a number > 0/],
  [{ doSample: true, temperature: 0 }, /temperature/],
  [{ topP: 0 }, /topP must be a number in \(0, 1\]/],
  [{ topP: 1.5 }, /topP must be a number in \(0, 1\]/],
  [{ numBeams: 0 }, /numBeams must be an integer >= 1/],
  [{ numBeams: 2, numReturnSequences: 3 }, /numReturnSequences must be an integer in \[1, numBeams = 2\]/],
  [{ numReturnSequences: 2 }, /numReturnSequences must be 1 with greedy search/],
  [{ topK: -2 }, /topK must be an integer >= 0/],
  [{ typicalP: 2 }, /typicalP must be a number in \(0, 1\]/],
  [{ repetitionPenalty: 0 }, /repetitionPenalty must be a number > 0/],
  [{ maxNewTokens: 0 }, /maxNewTokens must be an integer >= 1/],
  [{ maxNewTokens: 60 }, /maxNewTokens must be in \[1, 57\] for a 7-token prompt \(the model's context is 64 positions\)/],
  [{ eosTokenId: 500 }, /eosTokenId must be a token id in \[0, 100\]/],
  [{ stopStrings: ['x'] }, /tokenizer must be given when stopStrings is set/],
  [{ earlyStopping: 'sometimes' }, /earlyStopping must be true, false or 'never'/],
];

for (const [options, message] of bad) {
  test(`generate rejects ${JSON.stringify(options)}`, async () => {
    const model = await fixtureModel('gpt2-tiny');
    assert.throws(() => generate(model, [[1, 2, 3, 4, 5, 6, 7]], options), (e: unknown) => e instanceof KotobaError && message.test((e as Error).message));
  });
}

test('a prompt longer than the context is an error naming the limit', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const long = Array.from({ length: 70 }, (_, i) => i % 100);
  assert.throws(() => generate(model, [long], { maxNewTokens: 1 }), /70 tokens, more than the model's context of 64 positions/);
});

test('defaults come from generation_config.json, then the options', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const config = resolveGenerationConfig(model.config, model.generationConfig, { maxNewTokens: 3 });
  assert.equal(config.eosTokenId, 100);
  assert.equal(config.bosTokenId, 100);
  assert.equal(config.padTokenId, 100, 'pad falls back to the first eos, as transformers does');
  assert.equal(config.maxNewTokens, 3);
  assert.equal(config.topK, 50);
  const t5 = await fixtureModel('t5-tiny-v1_1');
  const c2 = resolveGenerationConfig(t5.config, undefined, {});
  assert.equal(c2.decoderStartTokenId, 0, 'from config.json when there is no generation_config.json');
  assert.equal(c2.eosTokenId, 1);
  // maxLength counts the prompt for decoder-only models; the default is 20
  const out = generate(model, [[1, 2, 3, 4, 5]], {});
  assert.equal(out.shape[1], 20);
  assert.equal(rowsOf(generate(model, [[1, 2, 3, 4, 5]], { maxLength: 8 }))[0].length, 8);
});

test('minNewTokens, badWordsIds, forced tokens and a custom processor take effect', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const prompt = [[35, 92, 92, 38, 65, 78, 86]];
  // greedy ends with eos 55 after 4 tokens: minNewTokens 6 forbids that
  const plain = rowsOf(generate(model, prompt, { maxNewTokens: 8, eosTokenId: 55 }))[0];
  assert.equal(plain[10], 55);
  const longer = rowsOf(generate(model, prompt, { maxNewTokens: 8, eosTokenId: 55, minNewTokens: 6 }))[0];
  assert.ok(!longer.slice(7, 13).includes(55));
  const banned = rowsOf(generate(model, prompt, { maxNewTokens: 8, badWordsIds: [[70]] }))[0];
  assert.ok(!banned.slice(7).includes(70));
  const forced = rowsOf(generate(model, prompt, { maxNewTokens: 4, forcedEosTokenId: 42, eosTokenId: 42 }))[0];
  assert.equal(forced[forced.length - 1], 42);
  const custom = rowsOf(generate(model, prompt, {
    maxNewTokens: 3,
    logitsProcessor: [(_ids, scores) => {
      const d = new Float32Array(scores.numel()).fill(-1);
      for (let r = 0; r < scores.shape[0]; r++) d[r * scores.shape[1] + 9] = 1;
      return Tensor.fromArray(d, scores.shape);
    }],
  }))[0];
  assert.deepEqual(custom.slice(7), [9, 9, 9]);
});

test('several eos ids: the first one generated ends the row', async () => {
  const model = await fixtureModel('gpt2-tiny');
  // greedy continues 70 70 70 55 here (the fixture's greedy_eos case)
  const out = generate(model, [[35, 92, 92, 38, 65, 78, 86]], { maxNewTokens: 8, eosTokenId: [55, 70], returnDictInGenerate: true });
  assert.deepEqual(rowsOf(out.sequences)[0].slice(7), [70]);
  assert.deepEqual(out.finishReasons, ['stop']);
});
