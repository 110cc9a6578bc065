// text-generation on kotoba-gpt-mini and the text-to-text tasks on kotoba-t5-mini: the pipelines
// give exactly what model.generate gives, decoded, with the task's prefix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoTokenizer, GPT2LMHeadModel, OptionError, T5ForConditionalGeneration } from '../../src/index.js';
import { pipeline, SummarizationPipeline, Text2TextGenerationPipeline, TextGenerationPipeline, TranslationPipeline } from '../../src/pipelines/index.js';
import { quiet, testModels } from './helpers.js';

const { dir } = testModels();
const generator = await pipeline('text-generation', undefined, quiet);
const gpt = await GPT2LMHeadModel.fromPretrained(`${dir}/kotoba-gpt-mini`, quiet);
const gptTokenizer = await AutoTokenizer.fromPretrained(`${dir}/kotoba-gpt-mini`);
const t5 = await T5ForConditionalGeneration.fromPretrained(`${dir}/kotoba-t5-mini`, quiet);
const t5Tokenizer = await AutoTokenizer.fromPretrained(`${dir}/kotoba-t5-mini`);

/** Greedy continuation computed with model.generate and decoded as transformers' pipeline does. */
function greedyGpt(prompt: string, maxNewTokens: number): { full: string; continuation: string } {
  const ids = gptTokenizer.encode(prompt);
  const out = (gpt.generate([ids], { maxNewTokens, doSample: false }).toArray() as number[][])[0];
  assert.deepEqual(out.slice(0, ids.length), ids, 'generate returns the prompt first');
  const decode = { skipSpecialTokens: true, cleanUpTokenizationSpaces: true };
  const continuation = gptTokenizer.decode(out, decode).slice(gptTokenizer.decode(ids, decode).length);
  return { full: prompt + continuation, continuation };
}

function greedyT5(input: string, maxNewTokens: number): string {
  const out = (t5.generate([t5Tokenizer.encode(input)], { maxNewTokens, doSample: false }).toArray() as number[][])[0];
  return t5Tokenizer.decode(out, { skipSpecialTokens: true });
}

test('text-generation: [{ generated_text }] = the prompt + model.generate\'s greedy continuation', async () => {
  assert.ok(generator instanceof TextGenerationPipeline);
  assert.ok(generator.model instanceof GPT2LMHeadModel);
  const prompt = 'The house is';
  const out = await generator(prompt, { maxNewTokens: 8, doSample: false });
  assert.equal(out.length, 1);
  assert.deepEqual(Object.keys(out[0]), ['generated_text']);
  const expected = greedyGpt(prompt, 8);
  assert.equal(out[0].generated_text, expected.full);
  assert.ok(out[0].generated_text.startsWith(prompt));
  const only = await generator(prompt, { maxNewTokens: 8, doSample: false, returnFullText: false });
  assert.equal(only[0].generated_text, expected.continuation);
});

test('text-generation passes generate options through: numReturnSequences, seed, returnTensors', async () => {
  const prompt = 'Once upon a time';
  const sampled = await generator(prompt, { maxNewTokens: 6, doSample: true, seed: 3, numReturnSequences: 2 });
  assert.equal(sampled.length, 2, 'one item per returned sequence');
  assert.deepEqual(await generator(prompt, { maxNewTokens: 6, doSample: true, seed: 3, numReturnSequences: 2 }), sampled, 'same seed, same text');
  const ids = gptTokenizer.encode(prompt);
  const [tokens] = (await generator(prompt, { maxNewTokens: 4, doSample: false, returnTensors: true })) as unknown as { generated_token_ids: number[] }[];
  assert.deepEqual(tokens.generated_token_ids, (gpt.generate([ids], { maxNewTokens: 4 }).toArray() as number[][])[0]);
  await assert.rejects(generator(prompt, { maxNewTokens: 10_000 }), OptionError);
});

test('text-generation: without a length, up to 256 new tokens, fewer when the context has less room', async () => {
  const context = gpt.config.nPositions;
  let prompt = 'the';
  while (gptTokenizer.encode(prompt + ' the').length <= context - 2) prompt += ' the';
  const promptLength = gptTokenizer.encode(prompt).length;
  assert.ok(promptLength >= context - 3 && promptLength <= context - 2, `${promptLength} tokens for a context of ${context}`);
  const [out] = (await generator(prompt, { returnTensors: true })) as unknown as { generated_token_ids: number[] }[];
  assert.ok(out.generated_token_ids.length <= context, 'stops at the end of the context instead of failing');
});

test('text-generation: a batch gives one list per prompt, equal to the prompts alone', async () => {
  const prompts = ['The cat', 'In the beginning'];
  const batch = await generator(prompts, { maxNewTokens: 5 });
  assert.equal(batch.length, 2);
  for (let i = 0; i < prompts.length; i++) assert.deepEqual(batch[i], await generator(prompts[i], { maxNewTokens: 5 }));
});

test('text2text-generation: [{ generated_text }] = model.generate decoded; a batch gives one item per text', async () => {
  const t2t = await pipeline('text2text-generation', undefined, quiet);
  assert.ok(t2t instanceof Text2TextGenerationPipeline);
  const input = 'sentiment: I love this phone';
  const out = await t2t(input, { maxNewTokens: 10 });
  assert.deepEqual(out, [{ generated_text: greedyT5(input, 10) }]);
  const inputs = [input, 'topic: the stars at night'];
  const batch = await t2t(inputs, { maxNewTokens: 10 });
  assert.deepEqual(batch, [out[0], (await t2t(inputs[1], { maxNewTokens: 10 }))[0]], 'flat, one { generated_text } per input, as transformers');
});

test('translation_en_to_de adds T5\'s prefix: the same as text2text on "translate English to German: ..."', async () => {
  const translator = await pipeline('translation_en_to_de', undefined, quiet);
  assert.ok(translator instanceof TranslationPipeline);
  assert.equal(translator.task, 'translation_en_to_de');
  assert.equal(translator.prefix(), 'translate English to German: ');
  const text = 'The house is wonderful.';
  const out = await translator(text, { maxNewTokens: 12 });
  assert.deepEqual(out, [{ translation_text: greedyT5(`translate English to German: ${text}`, 12) }]);
  // the plain task with the languages as options, and task_specific_params-free defaults
  const plain = await pipeline('translation', 'kotoba-t5-mini', { ...quiet, srcLang: 'en', tgtLang: 'ja' });
  assert.deepEqual(await plain(text, { maxNewTokens: 12 }), [{ translation_text: greedyT5(`translate English to Japanese: ${text}`, 12) }]);
  await assert.rejects(pipeline('translation', 'kotoba-t5-mini', quiet), (e: Error) => e instanceof OptionError && /translation_en_to_de/.test(e.message));
});

test('translation: a batch gives one { translation_text } per text, equal to the texts alone', async () => {
  const translator = await pipeline('translation_en_to_ja', undefined, quiet);
  const texts = ['Good morning.', 'The dog runs.'];
  const batch = await translator(texts, { maxNewTokens: 8 });
  assert.deepEqual(batch, [(await translator(texts[0], { maxNewTokens: 8 }))[0], (await translator(texts[1], { maxNewTokens: 8 }))[0]]);
});

test("config.json's task_specific_params give the prefix and generation defaults, as transformers applies them", async () => {
  const model = await T5ForConditionalGeneration.fromPretrained(`${dir}/kotoba-t5-mini`, quiet);
  model.config.extra['task_specific_params'] = { translation_en_to_fr: { prefix: 'en2fr: ', num_beams: 2, max_length: 9 } };
  const plain = await pipeline('translation', model, { tokenizer: t5Tokenizer });
  assert.deepEqual(plain.languages(), { src: 'en', tgt: 'fr' }, 'the plain task takes the first translation_* entry');
  assert.equal(plain.prefix(), 'en2fr: ');
  const text = 'The house is wonderful.';
  const expected = (model.generate([t5Tokenizer.encode(`en2fr: ${text}`)], { numBeams: 2, maxLength: 9 }).toArray() as number[][])[0];
  assert.deepEqual(await plain(text), [{ translation_text: t5Tokenizer.decode(expected, { skipSpecialTokens: true }) }]);
  const greedy = (model.generate([t5Tokenizer.encode(`en2fr: ${text}`)], { maxLength: 9 }).toArray() as number[][])[0];
  assert.deepEqual(await plain(text, { numBeams: 1 }), [{ translation_text: t5Tokenizer.decode(greedy, { skipSpecialTokens: true }) }], "the call's options win");
});

test('summarization adds "summarize: " and answers [{ summary_text }]', async () => {
  const summarizer = await pipeline('summarization', undefined, quiet);
  assert.ok(summarizer instanceof SummarizationPipeline);
  const text = 'The cat sat on the mat all day. It did not move.';
  assert.deepEqual(await summarizer(text, { maxNewTokens: 10 }), [{ summary_text: greedyT5(`summarize: ${text}`, 10) }]);
});

test('the generation tasks refuse models that cannot generate that way', async () => {
  await assert.rejects(pipeline('text-generation', 'kotoba-t5-mini', quiet), (e: Error) => e instanceof OptionError && /t5 model.*GPT2LMHeadModel.*can do: .*text2text-generation/.test(e.message));
  await assert.rejects(pipeline('translation_en_to_de', 'kotoba-gpt-mini', quiet), (e: Error) => e instanceof OptionError && /T5ForConditionalGeneration/.test(e.message));
  await assert.rejects(pipeline('text-generation', 'kotoba-bert-mini', quiet), OptionError);
});
