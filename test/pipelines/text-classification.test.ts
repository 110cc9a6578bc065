// text-classification / sentiment-analysis on the shipped sentiment model: shapes as transformers
// returns them, and scores equal to the softmax / sigmoid of the model's own logits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoTokenizer, BertForSequenceClassification, noGrad, OptionError, type Tensor } from '../../src/index.js';
import { pipeline, TextClassificationPipeline } from '../../src/pipelines/index.js';
import { close, quiet, testModels } from './helpers.js';

const { dir } = testModels();
const classifier = await pipeline('sentiment-analysis', undefined, quiet);
const folder = `${dir}/kotoba-bert-mini-sentiment`;
const model = await BertForSequenceClassification.fromPretrained(folder, quiet);
const tokenizer = await AutoTokenizer.fromPretrained(folder);
const labels = Object.values(model.config.id2label);

/** The logits of the model for a text (or pair), computed directly. */
function logits(text: string, pair?: string): Tensor {
  const enc = tokenizer.call(text, pair === undefined ? {} : { textPair: pair });
  return noGrad(() => model.forward({ inputIds: [enc.inputIds as number[]], tokenTypeIds: [enc.tokenTypeIds as number[]] }).logits).reshape([-1]);
}

const TEXTS = ['I love this phone, it is great!', 'This movie was bad.', 'the cat sat on the mat'];

test('the alias and the default model: a callable pipeline with task, model and tokenizer', () => {
  assert.ok(classifier instanceof TextClassificationPipeline);
  assert.equal(typeof classifier, 'function');
  assert.equal(classifier.task, 'text-classification');
  assert.ok(classifier.model instanceof BertForSequenceClassification);
  assert.equal(classifier.tokenizer.clsToken, '[CLS]');
  assert.equal(classifier.name, 'text-classification');
});

test('a pipeline is a function: call/apply work, and run() is the same call', async () => {
  const text = TEXTS[0];
  const direct = await classifier(text);
  assert.deepEqual(await classifier.call(null, text), direct);
  assert.deepEqual(await classifier.apply(null, [text]), direct);
  assert.deepEqual(await classifier.run(text), direct);
});

test('a loaded model and tokenizer can be given instead of a name; pipeline() options are call defaults', async () => {
  const fromInstance = await pipeline('text-classification', model, { tokenizer, topK: null });
  assert.equal(fromInstance.model, model);
  assert.deepEqual(await fromInstance(TEXTS[1]), await classifier(TEXTS[1], { topK: null }));
  assert.deepEqual(await fromInstance(TEXTS[1], { topK: 1 }), await classifier(TEXTS[1], { topK: 1 }), "the call's options win");
  // a model loaded from a folder finds its tokenizer there
  assert.deepEqual(await (await pipeline('sentiment-analysis', model))(TEXTS[1]), await classifier(TEXTS[1]));
  const gpt = (await pipeline('text-generation', undefined, quiet)).model;
  await assert.rejects(pipeline('text-classification', gpt, { tokenizer }), (e: Error) => e instanceof OptionError && /a GPT2LMHeadModel cannot do text-classification/.test(e.message));
});

test('one text: [{ label, score }] with the best label and its softmax probability', async () => {
  for (const text of TEXTS) {
    const out = await classifier(text);
    assert.equal(out.length, 1);
    assert.deepEqual(Object.keys(out[0]).sort(), ['label', 'score']);
    const probs = logits(text).softmax(0).toFlatArray();
    const best = probs.indexOf(Math.max(...probs));
    assert.equal(out[0].label, model.config.id2label[best]);
    assert.ok(close(out[0].score, probs[best]), `${out[0].score} vs ${probs[best]}`);
  }
});

test('topK: labels sorted by score; null gives all labels, summing to 1', async () => {
  const text = TEXTS[0];
  const probs = logits(text).softmax(0).toFlatArray();
  const all = await classifier(text, { topK: null });
  assert.equal(all.length, labels.length);
  assert.deepEqual(all.map((r) => r.label).sort(), [...labels].sort());
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].score >= all[i].score, 'sorted');
  for (const r of all) assert.ok(close(r.score, probs[labels.indexOf(r.label)]));
  assert.ok(close(all.reduce((s, r) => s + r.score, 0), 1));
  const one = await classifier(text, { topK: 1 });
  assert.deepEqual(one, all.slice(0, 1));
});

test('functionToApply sigmoid / none use the logits directly', async () => {
  const text = TEXTS[1];
  const raw = logits(text);
  const sig = raw.sigmoid().toFlatArray();
  const none = await classifier(text, { topK: null, functionToApply: 'none' });
  for (const r of none) assert.ok(close(r.score, raw.toFlatArray()[labels.indexOf(r.label)]));
  const sigmoid = await classifier(text, { topK: null, functionToApply: 'sigmoid' });
  for (const r of sigmoid) assert.ok(close(r.score, sig[labels.indexOf(r.label)]));
});

test('a batch gives one { label, score } per text (topK: one list per text), equal to the texts alone', async () => {
  const batch = await classifier(TEXTS);
  assert.equal(batch.length, TEXTS.length);
  for (let i = 0; i < TEXTS.length; i++) assert.deepEqual(batch[i], (await classifier(TEXTS[i]))[0]);
  const ranked = await classifier(TEXTS, { topK: 2 });
  for (let i = 0; i < TEXTS.length; i++) assert.deepEqual(ranked[i], await classifier(TEXTS[i], { topK: 2 }));
});

test('a multi-label (or one-label) model gets sigmoid scores by default, as transformers', async () => {
  const multi = await BertForSequenceClassification.fromPretrained(folder, quiet);
  multi.config.problemType = 'multi_label_classification';
  const pipe = await pipeline('text-classification', multi, { tokenizer });
  const sig = logits(TEXTS[0]).sigmoid().toFlatArray();
  for (const r of await pipe(TEXTS[0], { topK: null })) assert.ok(close(r.score, sig[labels.indexOf(r.label)]));
});

test('unknown tasks name the known ones', async () => {
  await assert.rejects(pipeline('sentiment-anlysis'), (e: Error) => e instanceof OptionError && /unknown task "sentiment-anlysis"; the tasks are text-classification, .*question-answering, sentiment-analysis, ner, translation_xx_to_yy/.test(e.message));
});

test("a text longer than the model's context is cut to it", async () => {
  const long = Array.from({ length: 1500 }, () => 'great').join(' ');
  const [out] = await classifier(long, { topK: 1 });
  const max = Math.min(model.config.maxPositionEmbeddings, tokenizer.modelMaxLength);
  const enc = tokenizer.call(long, { truncation: true, maxLength: max });
  assert.equal((enc.inputIds as number[]).length, max);
  const probs = noGrad(() => model.forward({ inputIds: [enc.inputIds as number[]] }).logits).reshape([-1]).softmax(0).toFlatArray();
  assert.ok(close(out.score, Math.max(...probs)));
});

test('a text pair { text, textPair } is encoded as a pair', async () => {
  const [out] = await classifier({ text: 'the movie', textPair: 'was great' }, { topK: 1 }) as { label: string; score: number }[];
  const probs = logits('the movie', 'was great').softmax(0).toFlatArray();
  assert.ok(close(out.score, Math.max(...probs)));
});

test('bad options and inputs are OptionErrors', async () => {
  await assert.rejects(classifier(TEXTS[0], { topK: 0 }), OptionError);
  await assert.rejects(classifier(TEXTS[0], { functionToApply: 'tanh' as 'none' }), /functionToApply/);
  await assert.rejects(classifier(42 as unknown as string), /must be a string/);
  await assert.rejects(pipeline('text-classification', 'kotoba-gpt-mini', quiet), (e: Error) => e instanceof OptionError && /gpt2 model.*text-classification needs.*can do: .*text-generation/.test(e.message));
});
