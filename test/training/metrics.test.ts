/** Metrics: accuracy, macro-F1, SQuAD exact match / F1, seqeval entity F1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, entityScores, getEntities, macroF1, squadScores } from '../../src/index.js';

test('accuracy and macro-F1 (as sklearn)', () => {
  assert.equal(accuracy([0, 1, 1, 2], [0, 1, 2, 2]), 0.75);
  // class 0: f1 1; class 1: p 1/2 r 1 -> 2/3; class 2: p 1 r 1/2 -> 2/3
  assert.ok(Math.abs(macroF1([0, 1, 1, 2], [0, 1, 2, 2]) - (1 + 2 / 3 + 2 / 3) / 3) < 1e-12);
  assert.equal(macroF1([1, 1], [0, 0]), 0);
});

test('SQuAD exact match and F1 normalize case, punctuation and articles', () => {
  const s = squadScores(['The Cat!', 'a dog ran', 'nothing'], [['cat'], ['the dog sat'], ['x', 'y']]);
  assert.ok(Math.abs(s.exactMatch - 100 / 3) < 1e-9);
  // "dog ran" vs "dog sat": p = r = 1/2 -> f1 1/2
  assert.ok(Math.abs(s.f1 - (100 * (1 + 0.5 + 0)) / 3) < 1e-9);
});

test('seqeval: entities are typed chunks; a partial match does not count', () => {
  assert.deepEqual(getEntities(['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC', 'I-ORG']).map((c) => [c.type, c.start, c.end]), [['PER', 0, 1], ['LOC', 3, 4], ['ORG', 5, 5]]);
  const s = entityScores([['B-PER', 'I-PER', 'O', 'B-LOC']], [['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC'].slice(0, 4).map((t, i) => (i === 1 ? 'O' : t))]);
  // predicted PER(0-1), LOC(3); reference PER(0), LOC(3): one of two correct
  assert.deepEqual(s, { precision: 0.5, recall: 0.5, f1: 0.5 });
  assert.equal(entityScores([['NN', 'VB']], [['NN', 'VB']]).f1, 1, 'plain tags are one-token entities');
});
