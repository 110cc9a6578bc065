/** Packing, deterministic shuffling and splits, label maps, and the tokenized data sets of each task. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LabelMap, buildPretrainingData, classificationExamples, epochOrder, labelValues, packIntoBlocks, permutation,
  questionAnsweringExamples, readAll, text2textExamples, tokenClassificationExamples, tokenSpan, trainValidationSplit,
} from '../../src/index.js';
import { tempDir, tinyTokenizer, writeData } from './helpers.js';

test('packing concatenates documents into fixed-length blocks and drops the remainder', () => {
  const blocks = packIntoBlocks([[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]], 4);
  assert.deepEqual(blocks.map((b) => Array.from(b)), [[1, 2, 3, 4], [5, 6, 7, 8]]);
});

test('shuffling is a permutation fixed by the seed, different per epoch and per seed', () => {
  const a = permutation(50, 7);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(permutation(50, 7), a);
  assert.notDeepEqual(permutation(50, 8), a);
  assert.notDeepEqual(epochOrder(50, 7, 0), epochOrder(50, 7, 1));
  assert.deepEqual(epochOrder(5, 7, 3, false), [0, 1, 2, 3, 4]);
});

test('train/validation split: disjoint, covering, sized by the fraction, seeded', () => {
  const { train, validation } = trainValidationSplit(100, 0.1, 42);
  assert.equal(validation.length, 10);
  assert.equal(train.length, 90);
  assert.equal(new Set([...train, ...validation]).size, 100);
  assert.deepEqual(trainValidationSplit(100, 0.1, 42).validation, validation);
  assert.throws(() => trainValidationSplit(1, 0.1, 0), /cannot split 1 example/);
});

test('label maps: sorted names, integer labels kept, unknown labels named with file:line', () => {
  const names = LabelMap.fromLabels(['pos', 'neg', 'pos', 'neutral']);
  assert.deepEqual(names.id2label, ['neg', 'neutral', 'pos']);
  assert.deepEqual(names.toConfig().label2id, { neg: 0, neutral: 1, pos: 2 });
  assert.deepEqual(names.toConfig().id2label, { 0: 'neg', 1: 'neutral', 2: 'pos' });
  assert.deepEqual(LabelMap.fromLabels([1, 0, 2]).id2label, ['0', '1', '2']);
  assert.equal(LabelMap.fromLabels([1, 0]).idOf(1, 'x'), 1);
  assert.throws(() => names.idOf('positive', 'val.jsonl:7'), /val\.jsonl:7: unknown label "positive"; the labels of the training set are: neg, neutral, pos/);
  assert.equal(LabelMap.fromConfig({ id2label: { 0: 'LABEL_0', 1: 'LABEL_1' } }), null);
  assert.deepEqual(LabelMap.fromConfig({ id2label: { 0: 'neg', 1: 'pos' } })!.id2label, ['neg', 'pos']);
});

test('classification examples: tokenized with special tokens, truncated, labels mapped; a missing column is named', async () => {
  const dir = tempDir();
  const path = writeData(dir, 't.jsonl', '{"text": "the cat sat", "label": "pos"}\n{"text": "the dog ran on the mat and sat", "label": "neg"}\n');
  const records = await readAll([path], {});
  const tok = tinyTokenizer();
  const labels = LabelMap.fromLabels(labelValues(records, 'label', false));
  const ex = classificationExamples(records, tok, labels, { maxLength: 6 });
  assert.deepEqual(ex[0].inputIds, [2, 5, 6, 7, 3]);
  assert.equal(ex[0].labels, 1);
  assert.equal(ex[1].inputIds.length, 6);
  assert.equal(ex[1].inputIds[5], 3);
  assert.throws(() => classificationExamples(records, tok, labels, { maxLength: 8, textColumn: 'sentence' }), /t\.jsonl:1: there is no column "sentence"; the columns are: text, label/);
});

test('token classification: a word label goes to its first sub-token, -100 elsewhere', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'ner.jsonl', '{"tokens": ["the", "cat", "playing"], "tags": ["O", "B-ANIMAL", "B-ACT"]}\n');
  const records = await readAll([path], {});
  const tok = tinyTokenizer();
  const labels = LabelMap.fromLabels(labelValues(records, 'tags', true));
  const [ex] = tokenClassificationExamples(records, tok, labels, { maxLength: 16 });
  // [CLS] the cat play ##ing [SEP]
  assert.deepEqual(ex.inputIds, [2, 5, 6, 22, 23, 3]);
  assert.deepEqual(ex.labels, [-100, labels.idOf('O', ''), labels.idOf('B-ANIMAL', ''), labels.idOf('B-ACT', ''), -100, -100]);
});

test('question answering: character offsets become token start/end; a truncated answer points at [CLS]', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'qa.jsonl', [
    JSON.stringify({ question: 'the cat', context: 'the dog sat on the mat', answers: { text: ['sat on'], answer_start: [8] } }),
    JSON.stringify({ question: 'the cat', context: 'the dog sat on the mat', answers: { text: ['mat'], answer_start: [19] } }),
  ].join('\n'));
  const records = await readAll([path], {});
  const tok = tinyTokenizer();
  const [a] = questionAnsweringExamples(records, tok, { maxLength: 32 });
  // [CLS] the cat [SEP] the dog sat on the mat [SEP]
  assert.equal(a.startPositions, 6);
  assert.equal(a.endPositions, 7);
  assert.deepEqual(a.meta!.answers, ['sat on']);
  const [, cut] = questionAnsweringExamples(records, tok, { maxLength: 8 });
  assert.deepEqual([cut.startPositions, cut.endPositions], [0, 0]);
  assert.deepEqual(tokenSpan([null, [0, 3], [4, 7]], 4, 7), [2, 2]);
  const bad = writeData(dir, 'badqa.jsonl', JSON.stringify({ question: 'q', context: 'the dog', answers: { text: ['cat'], answer_start: [4] } }));
  await assert.rejects(async () => questionAnsweringExamples(await readAll([bad], {}), tok, { maxLength: 8 }), /badqa\.jsonl:1: the answer "cat" is not found at character 4/);
});

test('text2text: source (with prefix) as inputs, target ids as labels', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'tt.jsonl', '{"source": "cat sat", "target": "the dog ran"}\n');
  const records = await readAll([path], {});
  const [ex] = text2textExamples(records, tinyTokenizer(), { maxLength: 16, sourcePrefix: 'the ' });
  assert.deepEqual(ex.inputIds, [2, 5, 6, 7, 3]);
  assert.deepEqual(ex.labels, [2, 5, 10, 11, 3]);
});

test('pretraining data: documents streamed from text and gzip files, tokenized and packed', async () => {
  const dir = tempDir();
  const a = writeData(dir, 'a.txt', 'the cat sat\nthe dog ran\n');
  const b = writeData(dir, 'b.txt.gz', 'a good movie\n');
  const data = await buildPretrainingData([a, b], tinyTokenizer(), { blockSize: 4 });
  // [CLS] the cat sat [SEP] [CLS] the dog ran [SEP] [CLS] a good movie [SEP] = 15 tokens -> 3 blocks
  assert.equal(data.documents, 3);
  assert.equal(data.tokens, 15);
  assert.deepEqual(data.examples.map((e) => e.inputIds), [[2, 5, 6, 7], [3, 2, 5, 10], [11, 3, 2, 19]]);
});
