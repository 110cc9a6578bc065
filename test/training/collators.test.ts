/** Collators: masked LM (15%, 80/10/10, specials never masked, whole words), causal LM, T5 span corruption, padding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CausalLMCollator, Generator, MaskedLMCollator, PaddingCollator, SpanCorruptionCollator, randomSpansNoiseMask, type Example,
} from '../../src/index.js';

const PAD = 0;
const CLS = 2;
const SEP = 3;
const MASK = 4;

test('masked LM: about 15% of ordinary tokens chosen, 80% [MASK] / 10% random / 10% kept, specials and padding never', () => {
  const collator = new MaskedLMCollator({ padTokenId: PAD, maskTokenId: MASK, vocabSize: 1000, specialIds: [CLS, SEP, MASK] });
  const examples: Example[] = Array.from({ length: 200 }, (_, i) => ({
    inputIds: [CLS, ...Array.from({ length: 60 + (i % 5) }, (_, j) => 100 + ((i * 7 + j) % 800)), SEP],
  }));
  const batch = collator.collate(examples, new Generator(0));
  const ids = batch.inputIds.toArray() as number[][];
  const labels = batch.labels.toArray() as number[][];
  let ordinary = 0;
  let chosen = 0;
  let masked = 0;
  let kept = 0;
  examples.forEach((e, r) => {
    ids[r].forEach((id, t) => {
      const original = e.inputIds[t];
      if (original === undefined || original === CLS || original === SEP) {
        assert.equal(labels[r][t], -100, 'special tokens and padding are never chosen');
        if (original !== undefined) assert.equal(id, original);
        else assert.equal(id, PAD);
        return;
      }
      ordinary++;
      if (labels[r][t] === -100) { assert.equal(id, original); return; }
      chosen++;
      assert.equal(labels[r][t], original);
      if (id === MASK) masked++;
      else if (id === original) kept++;
    });
  });
  const rate = chosen / ordinary;
  assert.ok(rate > 0.14 && rate < 0.16, `chosen rate ${rate}`);
  assert.ok(Math.abs(masked / chosen - 0.8) < 0.03, `mask share ${masked / chosen}`);
  assert.ok(Math.abs(kept / chosen - 0.1) < 0.03, `kept share ${kept / chosen}`);
  assert.deepEqual(collator.collate(examples, new Generator(0)).inputIds.toArray(), ids, 'same seed, same masks');
});

test('whole-word masking: a word and its ## continuations are masked together, within the 15% budget', () => {
  // ids >= 500 are "##" continuations
  const collator = new MaskedLMCollator({
    padTokenId: PAD, maskTokenId: MASK, vocabSize: 1000, specialIds: [CLS, SEP], wholeWordMask: true, isContinuation: (id) => id >= 500,
  });
  const row = [CLS, 10, 500, 501, 11, 12, 502, 13, 14, 15, 16, 503, 17, 18, 19, 20, 21, 504, 505, 22, SEP];
  for (let seed = 0; seed < 30; seed++) {
    const labels = (collator.collate([{ inputIds: row }], new Generator(seed)).labels.toArray() as number[][])[0];
    const chosen = labels.map((l, i) => (l !== -100 ? i : -1)).filter((i) => i >= 0);
    assert.ok(chosen.length >= 1 && chosen.length <= Math.round(19 * 0.15), `budget: ${chosen.length}`);
    for (const i of chosen) {
      if (row[i] >= 500) assert.ok(chosen.includes(i - 1), `continuation at ${i} masked without its word start`);
      if (row[i + 1] >= 500) assert.ok(chosen.includes(i + 1), `word at ${i} masked without its continuation`);
    }
  }
});

test('causal LM: labels are the inputs, padding is -100', () => {
  const batch = new CausalLMCollator({ padTokenId: 50 }).collate([{ inputIds: [5, 6, 7] }, { inputIds: [8] }], new Generator(0));
  assert.deepEqual(batch.inputIds.toArray(), [[5, 6, 7], [8, 50, 50]]);
  assert.deepEqual(batch.attentionMask.toArray(), [[1, 1, 1], [1, 0, 0]]);
  assert.deepEqual(batch.labels.toArray(), [[5, 6, 7], [8, -100, -100]]);
});

test('span corruption: ~15% noise in spans of mean 3, sentinels in order, input + target rebuild the original', () => {
  const sentinel = (k: number) => 999 - k;
  const collator = new SpanCorruptionCollator({ padTokenId: 0, eosTokenId: 1, sentinelId: sentinel });
  const original = Array.from({ length: 100 }, (_, i) => 10 + i);
  let spansSeen = 0;
  for (let seed = 0; seed < 20; seed++) {
    const g = new Generator(seed);
    const { inputIds, labels } = collator.corrupt(original, g);
    assert.equal(inputIds.at(-1), 1);
    assert.equal(labels.at(-1), 1);
    // rebuild: each sentinel in the input is replaced by the tokens after the same sentinel in the target
    const spans = new Map<number, number[]>();
    let current = -1;
    for (const id of labels.slice(0, -1)) {
      if (id > 900) { current = id; spans.set(id, []); } else spans.get(current)!.push(id);
    }
    const rebuilt = inputIds.slice(0, -1).flatMap((id) => (id > 900 ? spans.get(id)! : [id]));
    assert.deepEqual(rebuilt, original);
    const inputSentinels = inputIds.filter((id) => id > 900);
    assert.deepEqual(inputSentinels, inputSentinels.map((_, k) => sentinel(k)), 'sentinels numbered from <extra_id_0>');
    assert.equal(labels[0], sentinel(0));
    spansSeen += inputSentinels.length;
    const noise = randomSpansNoiseMask(100, 0.15, 3, new Generator(seed));
    assert.equal(noise.filter(Boolean).length, 15);
    assert.equal(noise[0], false, 'the sequence starts with kept tokens');
  }
  assert.equal(spansSeen, 20 * 5, 'round(15 / 3) = 5 spans per sequence');
  const batch = collator.collate([{ inputIds: original.slice(0, 20) }, { inputIds: original.slice(0, 40) }], new Generator(1));
  assert.equal(batch.labels.shape[0], 2);
  assert.ok((batch.labels.toArray() as number[][])[0].includes(-100), 'shorter targets are padded with -100');
});

test('padding collator: ids, masks and types padded; class labels as a vector; token labels padded with -100; QA positions', () => {
  const c = new PaddingCollator({ padTokenId: 0, padToMultipleOf: 4 });
  const cls = c.collate([{ inputIds: [2, 5, 3], tokenTypeIds: [0, 0, 0], labels: 1 }, { inputIds: [2, 3], tokenTypeIds: [0, 0], labels: 0 }]);
  assert.deepEqual(cls.inputIds.toArray(), [[2, 5, 3, 0], [2, 3, 0, 0]]);
  assert.deepEqual(cls.attentionMask.toArray(), [[1, 1, 1, 0], [1, 1, 0, 0]]);
  assert.deepEqual(cls.tokenTypeIds.toArray(), [[0, 0, 0, 0], [0, 0, 0, 0]]);
  assert.deepEqual(cls.labels.toArray(), [1, 0]);
  const tok = new PaddingCollator({ padTokenId: 0 }).collate([{ inputIds: [2, 5, 3], labels: [-100, 4, -100] }, { inputIds: [2, 3], labels: [-100, -100] }]);
  assert.deepEqual(tok.labels.toArray(), [[-100, 4, -100], [-100, -100, -100]]);
  const qa = new PaddingCollator({ padTokenId: 0 }).collate([{ inputIds: [2, 5], startPositions: 1, endPositions: 1 }]);
  assert.deepEqual([qa.startPositions.toArray(), qa.endPositions.toArray()], [[1], [1]]);
});
