/** chrF, BLEU, their tokenizations, and accuracy, against values derived by hand in the comments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, tokenAccuracy } from '../../src/eval/accuracy.js';
import { corpusBleu } from '../../src/eval/bleu.js';
import { corpusChrf } from '../../src/eval/chrf.js';
import { tokenize13a, tokenizeChars } from '../../src/eval/tokenize-bleu.js';

const close = (actual: number, expected: number, eps = 1e-9) => assert.ok(Math.abs(actual - expected) <= eps, `${actual} != ${expected}`);

test('chrF: identical strings give 100, disjoint ones 0', () => {
  close(corpusChrf(['Das Haus ist klein.', 'ein zweiter Satz'], ['Das Haus ist klein.', 'ein zweiter Satz']), 100);
  close(corpusChrf(['abc def'], ['xyz uvw']), 0);
  close(corpusChrf([''], ['something']), 0);
});

test('chrF: a hand-computed case, whitespace ignored', () => {
  // hyp "ab" vs ref "abc" (spaces are removed first, so "a b" is "ab"):
  //   n=1: hyp {a,b} = 2, ref {a,b,c} = 3, matches 2;  n=2: hyp {ab} = 1, ref {ab,bc} = 2, matches 1;
  //   n>=3: the hypothesis has no n-grams, so those orders are not counted (effective order 2).
  //   P = (2/2 + 1/1)/2 = 1,  R = (2/3 + 1/2)/2 = 7/12,
  //   chrF2 = 100 * 5 * P * R / (4P + R) = 100 * (35/12) / (55/12) = 100 * 7/11.
  close(corpusChrf(['a b'], ['abc']), (100 * 7) / 11);
  // corpus level sums the statistics: two copies of the pair give the same ratios
  close(corpusChrf(['ab', 'ab'], ['abc', 'abc']), (100 * 7) / 11);
});

test('13a tokenization', () => {
  assert.deepEqual(tokenize13a('Hello, world.'), ['Hello', ',', 'world', '.']);
  assert.deepEqual(tokenize13a('pi is 3.14 and 1,000 is big'), ['pi', 'is', '3.14', 'and', '1,000', 'is', 'big']);
  assert.deepEqual(tokenize13a('1990-2000 state-of-the-art'), ['1990', '-', '2000', 'state-of-the-art']);
  assert.deepEqual(tokenize13a("don't (really)!"), ["don't", '(', 'really', ')', '!']);
  assert.deepEqual(tokenize13a('&quot;a&quot; &amp; b/c'), ['"', 'a', '"', '&', 'b', '/', 'c']);
  assert.deepEqual(tokenize13a('Straße: über  alles\nzwei'), ['Straße', ':', 'über', 'alles', 'zwei']);
});

test('character tokenization for Japanese targets', () => {
  assert.deepEqual(tokenizeChars('日本 語。'), ['日', '本', '語', '。']);
  assert.deepEqual(tokenizeChars('a😀b'), ['a', '😀', 'b']);
});

test('BLEU: identical gives 100, disjoint gives 0', () => {
  close(corpusBleu(['the cat sat on the mat .'], ['the cat sat on the mat .']).score, 100);
  close(corpusBleu(['one two three four'], ['five six seven eight']).score, 0);
  close(corpusBleu([''], ['a b c d']).score, 0);
  close(corpusBleu(['日本語の文です'], ['日本語の文です'], 'char').score, 100);
});

test('BLEU: a hand-computed case with exp smoothing', () => {
  // hyp "the cat sat on the mat", ref "the cat is on the mat" (6 tokens each, BP = 1):
  //   1-grams: the x2, cat, on, mat match: 5/6
  //   2-grams: "the cat", "on the", "the mat": 3/5
  //   3-grams: "on the mat": 1/4
  //   4-grams: none of 3 -> first zero order, exp smoothing: 1 / (2 * 3) = 1/6
  //   BLEU = 100 * (5/6 * 3/5 * 1/4 * 1/6)^(1/4) = 100 * (1/48)^(1/4)
  const r = corpusBleu(['the cat sat on the mat'], ['the cat is on the mat']);
  assert.deepEqual(r.matches, [5, 3, 1, 0]);
  assert.deepEqual(r.totals, [6, 5, 4, 3]);
  close(r.score, 100 * Math.pow(1 / 48, 0.25));
});

test('BLEU: brevity penalty and clipping', () => {
  // hyp 5 tokens, all its n-grams in the 6-token ref: precisions 1, BP = exp(1 - 6/5)
  close(corpusBleu(['the cat sat on the'], ['the cat sat on the mat']).score, 100 * Math.exp(1 - 6 / 5));
  // "the the the the" vs "the cat": unigram matches clipped to 1 of 4
  const r = corpusBleu(['the the the the'], ['the cat']);
  assert.equal(r.matches[0], 1);
});

test('BLEU is corpus-level: statistics are summed before dividing', () => {
  // a 3-token sentence has no 4-grams alone (score 0), but counts together with a longer one
  const both = corpusBleu(['a b c', 'the cat sat on the mat'], ['a b c', 'the cat sat on the mat']);
  close(both.score, 100);
  assert.deepEqual(both.totals, [9, 7, 5, 3]);
});

test('accuracy and token accuracy', () => {
  close(accuracy(['a', 'b', 'c', 'a'], ['a', 'b', 'a', 'a']), 3 / 4);
  // 5 tokens, 3 right (a missing prediction counts as wrong)
  const r = tokenAccuracy([['x', 'y'], ['z', null, 'w']], [['x', 'q'], ['z', 'y', 'w']]);
  assert.equal(r.tokens, 5);
  close(r.accuracy, 3 / 5);
  assert.throws(() => tokenAccuracy([['x']], [['x', 'y']]));
});
