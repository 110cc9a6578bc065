/** The id-dependent processors and the stop-string criterion on small hand-made inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ForcedBOSTokenLogitsProcessor, ForcedEOSTokenLogitsProcessor, MinLengthLogitsProcessor, MinNewTokensLengthLogitsProcessor,
  NoBadWordsLogitsProcessor, NoRepeatNGramLogitsProcessor, RepetitionPenaltyLogitsProcessor, StopStringCriteria, TypicalLogitsWarper,
} from '../../src/generation/index.js';
import { Tensor } from '../../src/index.js';
import { byteTokenizer, utf8 } from './fake.js';

const ids = (rows: number[][]) => Tensor.fromArray(Int32Array.from(rows.flat()), [rows.length, rows[0].length]);
const scores = (rows: number[][]) => Tensor.fromArray(Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
const rowsOf = (t: Tensor) => t.toArray() as number[][];

test('repetition penalty divides positive and multiplies negative scores of seen tokens', () => {
  const out = new RepetitionPenaltyLogitsProcessor(2).process(ids([[1, 3, 3]]), scores([[1, 2, 3, -4, 5]]));
  assert.deepEqual(rowsOf(out), [[1, 1, 3, -8, 5]]);
});

test('no-repeat n-gram bans the token that would repeat an n-gram', () => {
  // bigrams so far: (5,6) (6,5): the last token 5 was followed by 6 before -> 6 banned
  const out = new NoRepeatNGramLogitsProcessor(2).process(ids([[5, 6, 5]]), scores([[0, 0, 0, 0, 0, 0, 0]]));
  assert.deepEqual(rowsOf(out)[0].map((v) => Number.isFinite(v)), [true, true, true, true, true, true, false]);
  const short = new NoRepeatNGramLogitsProcessor(4).process(ids([[5, 6]]), scores([[0, 0, 0, 0, 0, 0, 0]]));
  assert.ok(rowsOf(short)[0].every(Number.isFinite), 'shorter than n - 1: nothing to ban');
});

test('bad words: single tokens always, sequences after their prefix; an eos bad word is dropped', () => {
  const p = new NoBadWordsLogitsProcessor([[4], [1, 2], [3]], 3);
  const a = rowsOf(p.process(ids([[0, 1]]), scores([[0, 0, 0, 0, 0]])))[0];
  assert.deepEqual(a.map(Number.isFinite), [true, true, false, true, false]);
  const b = rowsOf(p.process(ids([[1, 0]]), scores([[0, 0, 0, 0, 0]])))[0];
  assert.deepEqual(b.map(Number.isFinite), [true, true, true, true, false]);
});

test('min lengths forbid eos until reached; forced tokens', () => {
  const s = scores([[1, 2, 3]]);
  assert.ok(!Number.isFinite(rowsOf(new MinLengthLogitsProcessor(4, 2).process(ids([[0, 1, 1]]), s))[0][2]));
  assert.ok(Number.isFinite(rowsOf(new MinLengthLogitsProcessor(3, 2).process(ids([[0, 1, 1]]), s))[0][2]));
  assert.ok(!Number.isFinite(rowsOf(new MinNewTokensLengthLogitsProcessor(2, 2, [2]).process(ids([[0, 1, 1]]), s))[0][2]));
  assert.ok(Number.isFinite(rowsOf(new MinNewTokensLengthLogitsProcessor(1, 2, [2]).process(ids([[0, 1, 1]]), s))[0][2]));
  assert.deepEqual(rowsOf(new ForcedBOSTokenLogitsProcessor(1).process(ids([[0]]), s)), [[-Infinity, 0, -Infinity]]);
  assert.deepEqual(rowsOf(new ForcedEOSTokenLogitsProcessor(4, 0).process(ids([[0, 1, 1]]), s)), [[0, -Infinity, -Infinity]]);
  assert.deepEqual(rowsOf(new ForcedEOSTokenLogitsProcessor(5, 0).process(ids([[0, 1, 1]]), s)), [[1, 2, 3]]);
});

test('typical sampling keeps the tokens closest to the entropy until typicalP', () => {
  // probabilities ~ [0.5, 0.3, 0.15, 0.05]: entropy 1.14 nats; |-log p - H| ranks 0.3, 0.5, 0.15, 0.05
  const logp = [0.5, 0.3, 0.15, 0.05].map(Math.log);
  const out = rowsOf(new TypicalLogitsWarper(0.7).process(ids([[0]]), scores([logp])))[0];
  assert.deepEqual(out.map(Number.isFinite), [true, true, false, false]);
});

test('stop strings match when they end inside the last token, overhangs included', () => {
  const c = new StopStringCriteria(byteTokenizer, ['stop']);
  const asTokens = (pieces: string[]) => pieces.flatMap((p) => [...utf8(p)]);
  assert.ok(c.rowMatches(asTokens(['la', 's', 't', 'o', 'p'])));
  assert.ok(!c.rowMatches(asTokens(['stop', 'a'])), 'a stop string followed by more text does not match');
  // with multi-character tokens: a tokenizer whose ids stand for whole strings
  const words = ['st', 'opper', 'stop', 'at', 'las', 'topper'];
  const wordTokenizer = { decode: (t: ArrayLike<number>) => Array.from(t, (i) => words[i]).join('') };
  const w = new StopStringCriteria(wordTokenizer, 'stop');
  assert.ok(w.rowMatches([0, 1]), '["st", "opper"]');
  assert.ok(w.rowMatches([4, 5]), '["las", "topper"]');
  assert.ok(w.rowMatches([2]), '["stop"]');
  assert.ok(!w.rowMatches([2, 3]), '["stop", "at"]');
});
