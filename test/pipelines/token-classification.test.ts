// token-classification / ner on the shipped part-of-speech model: per-token results equal to the
// softmax of the model's logits, offsets that slice the text, and transformers' grouping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoTokenizer, BertForTokenClassification, noGrad, OptionError } from '../../src/index.js';
import { pipeline, TokenClassificationPipeline, type EntityGroup, type TokenResult } from '../../src/pipelines/index.js';
import { aggregate, type PreEntity } from '../../src/pipelines/token-classification.js';
import { close, quiet, tempFolder, testModels, writeStandIn } from './helpers.js';

const { dir } = testModels();
const tagger = await pipeline('ner', undefined, quiet);
const folder = `${dir}/kotoba-bert-mini-pos`;
const model = await BertForTokenClassification.fromPretrained(folder, quiet);
const tokenizer = await AutoTokenizer.fromPretrained(folder);

const TEXT = 'Alice lives in Paris, playing with the dog.';

/** Per token of the model input: [probabilities], computed directly with the model. */
function probabilities(text: string): { probs: number[][]; enc: ReturnType<typeof tokenizer.call> } {
  const enc = tokenizer.call(text);
  const logits = noGrad(() => model.forward({ inputIds: [enc.inputIds as number[]], tokenTypeIds: [enc.tokenTypeIds as number[]] }).logits);
  return { probs: (logits.softmax(-1).toArray() as number[][][])[0], enc };
}

test('ner is token-classification with the shipped POS model', () => {
  assert.ok(tagger instanceof TokenClassificationPipeline);
  assert.equal(tagger.task, 'token-classification');
  assert.ok(tagger.model instanceof BertForTokenClassification);
});

test("'none': one result per non-special token, scores = softmax of the logits, offsets slice the text", async () => {
  const out = (await tagger(TEXT, { ignoreLabels: [] })) as TokenResult[];
  const { probs, enc } = probabilities(TEXT);
  const special = enc.specialTokensMask as number[];
  const expectedIndices = special.flatMap((s, i) => (s ? [] : [i]));
  assert.deepEqual(out.map((r) => r.index), expectedIndices, 'every non-special token, in order, by its input position');
  for (const r of out) {
    assert.deepEqual(Object.keys(r).sort(), ['end', 'entity', 'index', 'score', 'start', 'word']);
    const p = probs[r.index];
    const best = p.indexOf(Math.max(...p));
    assert.equal(r.entity, model.config.id2label[best]);
    assert.ok(close(r.score, p[best]), `${r.score} vs ${p[best]}`);
    assert.equal(r.word, (enc.encodings[0].tokens)[r.index]);
    // the offsets cover the word's characters in the original text (BERT lowercases; ## marks a continuation)
    assert.equal(TEXT.slice(r.start, r.end).toLowerCase(), r.word.replace(/^##/, ''));
  }
});

test('the default ignoreLabels is ["O"]; ignoreLabels drops the listed labels', async () => {
  const all = (await tagger(TEXT, { ignoreLabels: [] })) as TokenResult[];
  assert.deepEqual(await tagger(TEXT), all.filter((r) => r.entity !== 'O'));
  const dropped = all[0].entity;
  assert.deepEqual(await tagger(TEXT, { ignoreLabels: [dropped] }), all.filter((r) => r.entity !== dropped));
});

test("'simple' groups adjacent tokens of the same tag; scores are the means; spans are the tokens'", async () => {
  const tokens = (await tagger(TEXT, { ignoreLabels: [] })) as TokenResult[];
  const groups = (await tagger(TEXT, { aggregationStrategy: 'simple', ignoreLabels: [] })) as EntityGroup[];
  // walk the tokens: each group takes the next run of tokens from its start to its end
  let at = 0;
  for (const g of groups) {
    assert.deepEqual(Object.keys(g).sort(), ['end', 'entity_group', 'score', 'start', 'word']);
    const run: TokenResult[] = [];
    while (at < tokens.length && tokens[at].end <= g.end) run.push(tokens[at++]);
    assert.ok(run.length > 0 && run[0].start === g.start, `group ${JSON.stringify(g)} starts at a token`);
    assert.ok(run.every((t) => t.entity.replace(/^[BI]-/, '') === run[0].entity.replace(/^[BI]-/, '')), 'one tag per group');
    assert.equal(g.entity_group, run[0].entity.slice(run[0].entity.indexOf('-') + 1));
    assert.ok(close(g.score, run.reduce((s, t) => s + t.score, 0) / run.length));
    assert.equal(g.word, tokenizer.convertTokensToString(run.map((t) => t.word)));
  }
  assert.equal(at, tokens.length, 'the groups cover every token');
  for (let i = 1; i < groups.length; i++) {
    const last = tokens.find((t) => t.end === groups[i - 1].end)!;
    const next = tokens.find((t) => t.start === groups[i].start)!;
    const tag = (l: string) => l.replace(/^[BI]-/, '');
    assert.ok(tag(last.entity) !== tag(next.entity) || next.entity.startsWith('B-'), 'adjacent groups differ in tag (or the next begins with B-)');
  }
});

test("'first': every word takes its first token's label and score", async () => {
  const text = 'Alice playing Zwyxq';
  const tokens = (await tagger(text, { ignoreLabels: [] })) as TokenResult[];
  const words = await tagger(text, { aggregationStrategy: 'first', ignoreLabels: [] }) as EntityGroup[];
  for (const g of words) {
    const first = tokens.find((t) => t.start === g.start)!;
    assert.ok(first, 'a group starts where a token starts');
    assert.equal(g.entity_group, first.entity.slice(first.entity.indexOf('-') + 1));
    assert.equal(text.slice(g.start, g.end).toLowerCase(), g.word);
  }
  // words never split: every group boundary is a word boundary of the text
  for (const g of words) {
    assert.ok(g.start === 0 || text[g.start - 1] === ' ', `${g.word} starts a word`);
    assert.ok(g.end === text.length || text[g.end] === ' ', `${g.word} ends a word`);
  }
});

/** Hand-made token predictions (labels: O, B-PER, I-PER, B-LOC, I-LOC). */
function pre(word: string, label: number, start: number, isSubword = false, score = 0.9): PreEntity {
  const scores = [0, 0, 0, 0, 0].map(() => (1 - score) / 4);
  scores[label] = score;
  return { word, scores, start, end: start + word.replace(/^##/, '').length, index: 0, isSubword };
}

test('aggregation on a constructed case groups as transformers does', () => {
  const names = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
  const label = (i: number) => names[i];
  const tok = { convertTokensToString: (t: string[]) => t.join(' ').replace(/ ##/g, '') };
  // "jean pierre went to new york": "jean" B-PER, "pierre" I-PER, "went" O, "to" O, "new" B-LOC, "york" I-LOC;
  // "pierre" is split "pi ##erre" with the second piece mislabelled B-LOC
  const tokens = [
    pre('jean', 1, 0), pre('pi', 2, 5, false, 0.8), pre('##erre', 3, 7, true, 0.6), pre('went', 0, 12), pre('to', 0, 17),
    pre('new', 3, 20), pre('york', 4, 24, false, 0.7),
  ];
  const simple = aggregate(tokens, 'simple', label, tok) as EntityGroup[];
  // simple: the B-LOC piece starts a new group; O tokens group together
  assert.deepEqual(simple.map((g) => [g.entity_group, g.word, g.start, g.end]), [
    ['PER', 'jean pi', 0, 7], ['LOC', '##erre', 7, 11], ['O', 'went to', 12, 19], ['LOC', 'new york', 20, 28],
  ]);
  assert.ok(close(simple[0].score, (0.9 + 0.8) / 2));
  // first: "pi ##erre" is one word labelled I-PER by its first piece, so it joins "jean"
  const first = aggregate(tokens, 'first', label, tok) as EntityGroup[];
  assert.deepEqual(first.map((g) => [g.entity_group, g.word, g.start, g.end]), [
    ['PER', 'jean pierre', 0, 11], ['O', 'went to', 12, 19], ['LOC', 'new york', 20, 28],
  ]);
  assert.ok(close(first[0].score, (0.9 + 0.8) / 2), 'the word scores its first piece');
  // max: "pi ##erre" takes the label of its most confident piece (pi, I-PER 0.8); average: the
  // argmax of the pieces' mean scores (I-PER (0.8 + 0.1) / 2 = 0.45 beats B-LOC (0.05 + 0.6) / 2)
  const max = aggregate(tokens, 'max', label, tok) as EntityGroup[];
  assert.deepEqual(max.map((g) => [g.entity_group, g.word]), [['PER', 'jean pierre'], ['O', 'went to'], ['LOC', 'new york']]);
  const average = aggregate(tokens, 'average', label, tok) as EntityGroup[];
  assert.deepEqual(average.map((g) => [g.entity_group, g.word]), [['PER', 'jean pierre'], ['O', 'went to'], ['LOC', 'new york']]);
  assert.ok(close(average[0].score, (0.9 + (0.8 + 0.1) / 2) / 2), 'the group mean of the word scores');
  // ... and when the second piece is surer, max follows it and splits the name
  const surer = [pre('jean', 1, 0), pre('pi', 2, 5, false, 0.5), pre('##erre', 3, 7, true, 0.95)];
  assert.deepEqual((aggregate(surer, 'max', label, tok) as EntityGroup[]).map((g) => [g.entity_group, g.word]), [['PER', 'jean'], ['LOC', 'pierre']]);
  // two B- tags in a row never merge
  const twoB = aggregate([pre('alice', 1, 0), pre('bob', 1, 6)], 'simple', label, tok) as EntityGroup[];
  assert.deepEqual(twoB.map((g) => g.word), ['alice', 'bob']);
});

test('aggregation on a BIO model loaded from a folder: ignoreLabels drops O groups', async () => {
  const ner = await pipeline('ner', writeStandIn(tempFolder(), 'ner'), quiet);
  const all = (await ner(TEXT, { aggregationStrategy: 'simple', ignoreLabels: [] })) as EntityGroup[];
  const kept = (await ner(TEXT, { aggregationStrategy: 'simple' })) as EntityGroup[];
  assert.deepEqual(kept, all.filter((g) => g.entity_group !== 'O'));
  assert.ok(all.every((g) => ['O', 'PER', 'LOC'].includes(g.entity_group)));
});

test('a batch gives one list per text, equal to the texts alone', async () => {
  const texts = [TEXT, 'the cat sat on the mat.'];
  const batch = await tagger(texts, { aggregationStrategy: 'simple' });
  assert.equal(batch.length, 2);
  for (let i = 0; i < texts.length; i++) assert.deepEqual(batch[i], await tagger(texts[i], { aggregationStrategy: 'simple' }));
});

test('a bad aggregationStrategy is an OptionError', async () => {
  await assert.rejects(tagger(TEXT, { aggregationStrategy: 'maximum' as 'first' }), (e: Error) => e instanceof OptionError && /'none', 'simple', 'first', 'average' or 'max', got "maximum"/.test(e.message));
  await assert.rejects(pipeline('token-classification', 'kotoba-t5-mini', quiet), OptionError);
});
