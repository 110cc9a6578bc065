// fill-mask and feature-extraction on the shipped kotoba-bert-mini: candidates and hidden states
// equal to what the model computes directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoTokenizer, BertForMaskedLM, BertModel, noGrad, OptionError, Tensor } from '../../src/index.js';
import { FeatureExtractionPipeline, FillMaskPipeline, pipeline, type FillMaskResult } from '../../src/pipelines/index.js';
import { close, quiet, testModels } from './helpers.js';

const { dir } = testModels();
const folder = `${dir}/kotoba-bert-mini`;
const unmasker = await pipeline('fill-mask', undefined, quiet);
const mlm = await BertForMaskedLM.fromPretrained(folder, quiet);
const tokenizer = await AutoTokenizer.fromPretrained(folder);

const TEXT = 'the cat sat on the [MASK] .';

/** Probabilities over the vocabulary at each mask, computed directly. */
function maskProbabilities(text: string): { probs: number[][]; ids: number[] } {
  const ids = tokenizer.encode(text);
  const logits = noGrad(() => mlm.forward({ inputIds: [ids] }).logits);
  const all = (logits.softmax(-1).toArray() as number[][][])[0];
  return { probs: ids.flatMap((id, i) => (id === tokenizer.maskTokenId ? [all[i]] : [])), ids };
}

test('one mask: topK candidates { score, token, token_str, sequence }, best first, scores = softmax at the mask', async () => {
  assert.ok(unmasker instanceof FillMaskPipeline);
  const out = (await unmasker(TEXT)) as FillMaskResult[];
  assert.equal(out.length, 5, 'topK defaults to 5');
  const { probs: [p], ids } = maskProbabilities(TEXT);
  const ranked = p.map((x, id) => [x, id]).sort((a, b) => b[0] - a[0]);
  assert.equal(out[0].token, ranked[0][1], 'the most likely token first');
  for (let i = 0; i < out.length; i++) {
    const r = out[i];
    assert.deepEqual(Object.keys(r).sort(), ['score', 'sequence', 'token', 'token_str']);
    assert.ok(close(r.score, p[r.token]), `${r.score} vs ${p[r.token]}`);
    if (i > 0) assert.ok(out[i - 1].score >= r.score, 'sorted by score');
    assert.equal(r.token_str, tokenizer.decode([r.token]));
    const filled = ids.map((id) => (id === tokenizer.maskTokenId ? r.token : id));
    assert.equal(r.sequence, tokenizer.decode(filled, { skipSpecialTokens: true }));
  }
  assert.ok(close(out[4].score, ranked[4][0]), 'the fifth best');
});

test('targets: only those tokens, topK capped to their number; the sequence has the target in place of the mask', async () => {
  const targets = ['dog', 'house', 'mat'];
  const text = 'the cat sat on the [MASK]';
  const out = (await unmasker(text, { targets, topK: 10 })) as FillMaskResult[];
  assert.equal(out.length, 3);
  assert.deepEqual(out.map((r) => r.token_str).sort(), [...targets].sort());
  const { probs: [p] } = maskProbabilities(text);
  for (const r of out) {
    assert.ok(close(r.score, p[r.token]), 'not renormalised over the targets');
    assert.equal(r.sequence, text.replace('[MASK]', r.token_str), 'the word in place of the mask');
  }
  for (let i = 1; i < out.length; i++) assert.ok(out[i - 1].score >= out[i].score);
});

test('several masks: one list per mask; a batch: one result per text, equal to the texts alone', async () => {
  const two = 'the [MASK] sat on the [MASK] .';
  const out = (await unmasker(two, { topK: 3 })) as FillMaskResult[][];
  assert.equal(out.length, 2);
  const { probs } = maskProbabilities(two);
  out.forEach((list, m) => {
    assert.equal(list.length, 3);
    for (const r of list) assert.ok(close(r.score, probs[m][r.token]));
    assert.ok(list.every((r) => r.sequence.includes('[MASK]')), 'the other mask stays, as in transformers');
  });
  const texts = [TEXT, 'a dog is [MASK] .'];
  const batch = await unmasker(texts, { topK: 2 });
  assert.equal(batch.length, 2);
  for (let i = 0; i < texts.length; i++) assert.deepEqual(batch[i], await unmasker(texts[i], { topK: 2 }));
});

test('a text without the mask token, and a model without a masked-LM head, are OptionErrors', async () => {
  await assert.rejects(unmasker('the cat sat on the mat .'), (e: Error) => e instanceof OptionError && /no mask token \(\[MASK\]\)/.test(e.message));
  await assert.rejects(pipeline('fill-mask', 'kotoba-gpt-mini', quiet), (e: Error) => e instanceof OptionError && /BertForMaskedLM/.test(e.message));
});

test('feature-extraction: nested arrays [1][tokens][hidden] equal to the base model\'s last hidden state', async () => {
  const extractor = await pipeline('feature-extraction', undefined, quiet);
  assert.ok(extractor instanceof FeatureExtractionPipeline);
  assert.ok(extractor.model instanceof BertModel);
  const text = 'the house is wonderful .';
  const features = await extractor(text);
  const ids = tokenizer.encode(text);
  const base = await BertModel.fromPretrained(folder, quiet);
  const expected = noGrad(() => base.forward({ inputIds: [ids] }).lastHiddenState).toArray() as number[][][];
  assert.equal(features.length, 1);
  assert.equal(features[0].length, ids.length, 'one vector per token, special tokens included');
  assert.equal(features[0][0].length, base.config.hiddenSize);
  features[0].forEach((row, t) => row.forEach((x, h) => assert.ok(close(x, expected[0][t][h]), `[${t}][${h}]`)));
  const tensor = await extractor(text, { returnTensors: true });
  assert.ok(tensor instanceof Tensor);
  assert.deepEqual([...tensor.shape], [1, ids.length, base.config.hiddenSize]);
  assert.deepEqual(tensor.toArray(), features);
  const batch = await extractor([text, 'a dog']);
  assert.deepEqual(batch[0], features);
  assert.deepEqual(batch[1], await extractor('a dog'));
});

test('feature-extraction also runs GPT-2 and the T5 encoder', async () => {
  for (const name of ['kotoba-gpt-mini', 'kotoba-t5-mini']) {
    const extractor = await pipeline('feature-extraction', name, quiet);
    const features = await extractor('hello world');
    assert.equal(features.length, 1);
    assert.ok(features[0].length >= 1);
    assert.equal(features[0][0].length, (extractor.model.config as unknown as { nEmbd?: number; dModel?: number }).nEmbd ?? (extractor.model.config as unknown as { dModel: number }).dModel);
  }
});

test('load warnings: a missing classification head is reported; feature-extraction does not report the unused pooler', async () => {
  const warnings: string[] = [];
  await pipeline('feature-extraction', 'kotoba-bert-mini', { onWarning: (m) => warnings.push(m) });
  assert.equal(warnings.length, 0, `only the (unused) pooler is missing: ${warnings.join('\n')}`);
  await pipeline('text-classification', 'kotoba-bert-mini', { onWarning: (m) => warnings.push(m) });
  assert.ok(warnings.some((m) => /classifier\.weight/.test(m) && /newly initialized/.test(m)), warnings.join('\n'));
});
