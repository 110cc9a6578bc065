// question-answering: no shipped model has a span head, so a small randomly initialised
// BertForQuestionAnswering is saved to a temporary folder; the pipeline's answer must be the
// best span computed directly from the model's start and end logits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoTokenizer, BertForQuestionAnswering, noGrad, OptionError } from '../../src/index.js';
import { pipeline, QuestionAnsweringPipeline, type Answer } from '../../src/pipelines/index.js';
import { close, quiet, tempFolder, testModels, writeStandIn } from './helpers.js';

testModels();
const folder = writeStandIn(tempFolder(), 'qa', 11);
const qa = await pipeline('question-answering', folder, quiet);
const model = await BertForQuestionAnswering.fromPretrained(folder, quiet);
const tokenizer = await AutoTokenizer.fromPretrained(folder);

const question = 'Where does Alice live?';
const context = 'Alice lives in Paris, and the dog lives in New York City.';

/** Every allowed span (start <= end < start + 15, both in the context) with p_start * p_end, from the logits directly. */
function spans(q: string, c: string): { s: number; e: number; score: number; offsets: [number, number][]; words: (number | null)[]; none: number }[] {
  const enc = tokenizer.encodeBatch([[q, c]]).encodings[0];
  const out = noGrad(() => model.forward({ inputIds: [enc.ids], tokenTypeIds: [enc.typeIds] }));
  const context = enc.sequenceIds.map((s) => s === 1);
  const mask = (x: number[]) => x.map((v, i) => (context[i] || i === 0 ? v : -10000));
  const softmax = (x: number[]) => {
    const m = Math.max(...x);
    const z = x.reduce((s, v) => s + Math.exp(v - m), 0);
    return x.map((v) => Math.exp(v - m) / z);
  };
  const ps = softmax(mask(out.startLogits.toFlatArray()));
  const pe = softmax(mask(out.endLogits.toFlatArray()));
  const all = [];
  for (let s = 0; s < enc.length; s++) {
    for (let e = s; e < Math.min(enc.length, s + 15); e++) {
      if (context[s] && context[e]) all.push({ s, e, score: ps[s] * pe[e], offsets: enc.offsets, words: enc.wordIds, none: ps[0] * pe[0] });
    }
  }
  return all.sort((a, b) => b.score - a.score);
}

test('the answer is the argmax span of the start/end logits, with its character offsets', async () => {
  assert.ok(qa instanceof QuestionAnsweringPipeline);
  const answer = (await qa({ question, context }, { alignToWords: false })) as Answer;
  assert.deepEqual(Object.keys(answer).sort(), ['answer', 'end', 'score', 'start']);
  const [best] = spans(question, context);
  assert.equal(answer.start, best.offsets[best.s][0]);
  assert.equal(answer.end, best.offsets[best.e][1]);
  assert.equal(answer.answer, context.slice(answer.start, answer.end));
  assert.ok(close(answer.score, best.score), `${answer.score} vs ${best.score}`);
});

test('alignToWords (default) widens the span to whole words', async () => {
  const text = 'Zwyxq lives near Qorvath with Brindlewick.'; // words split into pieces
  const answer = (await qa({ question, context: text })) as Answer;
  const [best] = spans(question, text);
  assert.ok(answer.start <= best.offsets[best.s][0] && answer.end >= best.offsets[best.e][1], 'contains the token span');
  assert.ok(answer.start === 0 || /\W/.test(text[answer.start - 1]) || /\W/.test(text[answer.start]), 'starts at a word boundary');
  assert.ok(answer.end === text.length || /\W/.test(text[answer.end]) || /\W/.test(text[answer.end - 1]), 'ends at a word boundary');
  assert.equal(answer.answer, text.slice(answer.start, answer.end));
  assert.ok(close(answer.score, best.score));
});

test('topK gives the best spans in order; a batch gives one result per item', async () => {
  const top = (await qa({ question, context }, { topK: 3, alignToWords: false })) as Answer[];
  const expected = spans(question, context).slice(0, 3);
  assert.deepEqual(top.map((a) => [a.start, a.end]), expected.map((b) => [b.offsets[b.s][0], b.offsets[b.e][1]]));
  top.forEach((a, i) => assert.ok(close(a.score, expected[i].score)));
  const items = [{ question, context }, { question: 'Who lives in Paris?', context }];
  const batch = await qa(items);
  assert.deepEqual(batch, [await qa(items[0]), await qa(items[1])]);
});

test('handleImpossibleAnswer adds the empty answer, scored p_start([CLS]) * p_end([CLS])', async () => {
  const all = (await qa({ question, context }, { handleImpossibleAnswer: true, topK: 500 })) as Answer[];
  const empty = all.filter((a) => a.answer === '');
  assert.equal(empty.length, 1);
  assert.deepEqual([empty[0].start, empty[0].end], [0, 0]);
  assert.ok(close(empty[0].score, spans(question, context)[0].none));
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].score >= all[i].score, 'sorted');
  assert.ok(!((await qa({ question, context }, { topK: 500 })) as Answer[]).some((a) => a.answer === ''), 'only when asked');
});

test('a long context is read in windows; the answer is a span of the context', async () => {
  const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i} says the dog lives in city number ${i}.`).join(' ');
  const answer = (await qa({ question, context: long }, { maxSeqLen: 32, docStride: 8 })) as Answer;
  assert.equal(answer.answer, long.slice(answer.start, answer.end));
  assert.ok(answer.score > 0 && answer.score <= 1);
  // every candidate of every window is a span of the context
  const top = (await qa({ question, context: long }, { maxSeqLen: 32, docStride: 8, topK: 5 })) as Answer[];
  assert.equal(top.length, 5);
  assert.deepEqual(top[0], answer);
  for (const a of top) assert.equal(a.answer, long.slice(a.start, a.end));
  // a context that fits is one window, whatever the stride
  assert.deepEqual(await qa({ question, context }, { docStride: 1 }), await qa({ question, context }));
});

test('no default model; bad inputs and models are OptionErrors', async () => {
  await assert.rejects(pipeline('question-answering'), (e: Error) => e instanceof OptionError && /no default model/.test(e.message) && /extractive QA/.test(e.message));
  await assert.rejects(qa({ question }), OptionError);
  await assert.rejects(qa({ question, context }, { topK: -1 }), OptionError);
  await assert.rejects(pipeline('question-answering', 'kotoba-gpt-mini', quiet), (e: Error) => e instanceof OptionError && /BertForQuestionAnswering/.test(e.message));
});
