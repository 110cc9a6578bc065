import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GPT2LMHeadModel, KeyValueCache, LayerKeyValues, noGrad, T5ForConditionalGeneration, tensor, type Tensor,
} from '../../src/index.js';
import { modelFolder } from './fixture-cases.js';

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.toFlatArray();
  const y = b.toFlatArray();
  assert.equal(x.length, y.length);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}

test('LayerKeyValues grows by doubling and appends without rewriting the past', () => {
  const layer = new LayerKeyValues();
  const step = (v: number) => tensor([[[[v, v]]]]); // [1, 1, 1, 2]
  const first = layer.append(step(0), step(0));
  assert.equal(layer.length, 1);
  assert.deepEqual([...first.key.shape], [1, 1, 1, 2]);
  const capacities: number[] = [];
  let all = first;
  for (let i = 1; i < 20; i++) {
    all = layer.append(step(i), step(-i));
    capacities.push(layer.capacity);
  }
  assert.equal(layer.length, 20);
  assert.deepEqual([...new Set(capacities)], [2, 4, 8, 16, 32], 'the buffer doubles, so the past is copied O(log n) times');
  assert.deepEqual(all.key.toFlatArray(), Array.from({ length: 20 }, (_, i) => [i, i]).flat());
  assert.deepEqual(all.value.toFlatArray().map((v) => v + 0), Array.from({ length: 20 }, (_, i) => [0 - i, 0 - i]).flat().map((v) => v + 0));
  assert.equal(all.key.storage, layer.key.storage, 'the cached keys are a view of the buffer');
});

test('a preallocated cache never reallocates within its capacity', () => {
  const layer = new LayerKeyValues(16);
  layer.append(tensor([[[[1], [2], [3]]]]), tensor([[[[1], [2], [3]]]]));
  const storage = layer.key.storage;
  for (let i = 0; i < 13; i++) layer.append(tensor([[[[i]]]]), tensor([[[[i]]]]));
  assert.equal(layer.key.storage, storage);
  assert.equal(layer.length, 16);
});

test('KeyValueCache.reorder picks and repeats batch rows (beam search)', () => {
  const cache = new KeyValueCache(1);
  cache.selfAttention[0].append(tensor([[[[1]]], [[[2]]]]), tensor([[[[10]]], [[[20]]]]));
  cache.reorder(tensor([1, 1, 0], { dtype: 'int32' }));
  assert.deepEqual(cache.toLegacy()[0][0].toFlatArray(), [2, 2, 1]);
  assert.deepEqual(cache.toLegacy()[0][1].toFlatArray(), [20, 20, 10]);
  cache.selfAttention[0].append(tensor([[[[3]]], [[[4]]], [[[5]]]]), tensor([[[[30]]], [[[40]]], [[[50]]]]));
  assert.deepEqual(cache.toLegacy()[0][0].toFlatArray(), [2, 3, 2, 4, 1, 5]);
});

test('GPT-2: left-padded batch decoded step by step (attentionMask + positionIds) matches the full forward', async () => {
  const model = await GPT2LMHeadModel.fromPretrained(modelFolder('gpt2-tiny'));
  // row 0 has two pads on the left; positions = cumsum(mask) - 1, pads set to 1 (as generation does)
  const ids = [[0, 0, 11, 12, 13, 14, 15], [21, 22, 23, 24, 25, 26, 27]];
  const mask = [[0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]];
  const positions = [[1, 1, 0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5, 6]];
  noGrad(() => {
    const full = model.forward({ inputIds: ids, attentionMask: mask, positionIds: positions });
    const prefix = 4;
    const cut = (rows: number[][], s: number, e: number) => rows.map((r) => r.slice(s, e));
    let o = model.forward({ inputIds: cut(ids, 0, prefix), attentionMask: cut(mask, 0, prefix), positionIds: cut(positions, 0, prefix), useCache: true });
    for (let t = prefix; t < ids[0].length; t++) {
      o = model.forward({ inputIds: cut(ids, t, t + 1), attentionMask: cut(mask, 0, t + 1), positionIds: cut(positions, t, t + 1), pastKeyValues: o.pastKeyValues });
      assert.ok(maxDiff(o.logits, full.logits.narrow(1, t, 1)) < 1e-4, `step ${t}`);
    }
    assert.equal(o.pastKeyValues!.length, ids[0].length);
  });
});

test('T5: decoding with a cache and a precomputed encoder output matches the full forward', async () => {
  const model = await T5ForConditionalGeneration.fromPretrained(modelFolder('t5-tiny-v1_1'));
  const inputIds = [[5, 6, 7, 8, 9, 1], [10, 11, 12, 1, 0, 0]];
  const attentionMask = [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]];
  const decoderInputIds = [[0, 4, 3, 2, 8], [0, 9, 8, 7, 6]];
  noGrad(() => {
    const full = model.forward({ inputIds, attentionMask, decoderInputIds });
    const encoderOutputs = model.encoder.forward({ inputIds, attentionMask });
    let cache: KeyValueCache | undefined;
    for (let t = 0; t < 5; t++) {
      const o = model.forward({
        encoderOutputs, attentionMask, decoderInputIds: decoderInputIds.map((r) => [r[t]]), pastKeyValues: cache, useCache: true,
      });
      assert.ok(maxDiff(o.logits, full.logits.narrow(1, t, 1)) < 1e-4, `step ${t}`);
      cache = o.pastKeyValues;
    }
    const legacy = cache!.toLegacy();
    assert.equal(legacy.length, 3);
    assert.deepEqual(legacy[0].map((t) => [...t.shape]), [[2, 4, 5, 8], [2, 4, 5, 8], [2, 4, 6, 8], [2, 4, 6, 8]]);
  });
});
