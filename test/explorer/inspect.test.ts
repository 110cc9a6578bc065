/** inspectModel against the models' own outputs: attention weights, hidden states, predictions. */
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { noGrad, type Tensor } from '../../src/index.js';
import { inspectModel, generateStep } from '../../src/explorer/index.js';
import { loadModel, type LoadedModel } from '../../src/explorer/loader.js';
import { tinyModels } from './tiny-models.js';

const quiet = { onWarning: () => {} };

function close(actual: number, expected: number, what: string, tol = 2e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

/** Compares the explorer's [layer][head][q][k] with the model's attention tensors [1, heads, q, k]. */
function assertSameAttention(shown: number[][][][], tensors: Tensor[], what: string): void {
  assert.equal(shown.length, tensors.length, `${what}: layers`);
  tensors.forEach((t, l) => {
    const [, heads, q, k] = t.shape;
    const data = t.contiguousData();
    assert.equal(shown[l].length, heads, `${what}: heads`);
    for (let h = 0; h < heads; h++) for (let i = 0; i < q; i++) for (let j = 0; j < k; j++) {
      close(shown[l][h][i][j], data[(h * q + i) * k + j], `${what} layer ${l} head ${h} [${i}, ${j}]`);
    }
  });
}

function forward(m: LoadedModel, inputs: Record<string, unknown>): Record<string, any> {
  return noGrad(() => (m.model.forward as (i: unknown) => Record<string, any>).call(m.model, { ...inputs, outputAttentions: true, outputHiddenStates: true }));
}

describe('inspectModel', () => {
  let bert: LoadedModel, cls: LoadedModel, gpt2: LoadedModel, t5: LoadedModel;
  before(async () => {
    const dirs = tinyModels();
    [bert, cls, gpt2, t5] = await Promise.all([dirs.bertMlm, dirs.bertCls, dirs.gpt2, dirs.t5].map((d) => loadModel(d, quiet)));
  });

  it('BERT: tokens with specials marked, bidirectional attention equal to outputAttentions, fill-mask', () => {
    const r = inspectModel(bert.model, bert.tokenizer, 'the cat sat on the [MASK].');
    assert.deepEqual(r.tokens.map((t) => t.piece), ['[CLS]', 'the', 'cat', 'sat', 'on', 'the', '[MASK]', '.', '[SEP]']);
    assert.deepEqual(r.tokens.map((t) => t.special), [true, false, false, false, false, false, true, false, true]);
    assert.deepEqual(r.tokens[2].offset, [4, 7]);
    assert.equal(r.model.family, 'bert');
    assert.equal(r.model.task, 'fill-mask');
    const out = forward(bert, { inputIds: [r.tokens.map((t) => t.id)] });
    assert.equal(r.attentions.length, 1);
    assert.equal(r.attentions[0].causal, false);
    assertSameAttention(r.attentions[0].weights, out.attentions, 'bert self');
    // hidden states: one entry per layer plus the embeddings; norms match the tensors
    assert.equal(r.hiddenStates[0].norms.length, 3);
    const h1 = (out.hiddenStates[1] as Tensor).contiguousData();
    const d = 32;
    const n = Math.hypot(...Array.from(h1.subarray(2 * d, 3 * d)));
    close(r.hiddenStates[0].norms[1][2], n, 'norm', 1e-5);
    assert.equal(r.hiddenStates[0].cosineToPrevious[0][0], null);
    assert.ok(r.hiddenStates[0].cosineToPrevious[1].every((c) => c !== null && c >= -1 && c <= 1));
    assert.equal(r.predictions.kind, 'fill-mask');
    if (r.predictions.kind === 'fill-mask') {
      assert.equal(r.predictions.masks.length, 1);
      assert.equal(r.predictions.masks[0].position, 6);
      assert.equal(r.predictions.masks[0].candidates.length, 10);
    }
  });

  it('BERT classifier: label probabilities sum to 1', () => {
    const r = inspectModel(cls.model, cls.tokenizer, 'hello, my dog is cute');
    assert.equal(r.predictions.kind, 'classification');
    if (r.predictions.kind === 'classification') {
      assert.deepEqual(r.predictions.labels.map((l) => l.label), ['LABEL_0', 'LABEL_1', 'LABEL_2']);
      close(r.predictions.labels.reduce((s, l) => s + l.prob, 0), 1, 'sum', 1e-5);
    }
  });

  it('GPT-2: causal attention equal to outputAttentions, next-token top 10 with temperature, logit lens', () => {
    const r = inspectModel(gpt2.model, gpt2.tokenizer, 'The cat sat on the mat', { temperature: 0.5 });
    assert.deepEqual(r.tokens.map((t) => t.text), ['The', ' cat', ' sat', ' on', ' the', ' mat']);
    const out = forward(gpt2, { inputIds: [r.tokens.map((t) => t.id)] });
    assertSameAttention(r.attentions[0].weights, out.attentions, 'gpt2 self');
    assert.equal(r.attentions[0].causal, true);
    // causal: nothing above the diagonal
    assert.ok(r.attentions[0].weights.every((layer) => layer.every((head) => head.every((row, i) => row.every((w, j) => j <= i || w === 0)))));
    assert.equal(r.predictions.kind, 'next-token');
    if (r.predictions.kind !== 'next-token') return;
    assert.equal(r.predictions.top.length, 10);
    assert.ok(r.predictions.top[0].prob >= r.predictions.top[1].prob);
    // temperature 0.5 sharpens: the top probability is higher than at temperature 1
    const plain = inspectModel(gpt2.model, gpt2.tokenizer, 'The cat sat on the mat');
    assert.ok(plain.predictions.kind === 'next-token' && plain.predictions.top[0].prob < r.predictions.top[0].prob);
    // the lens of the last layer is the model's own prediction
    assert.ok(r.logitLens);
    const lens = r.logitLens!.top;
    assert.equal(lens.length, 3);
    assert.equal(lens[2][5][0].id, plain.predictions.kind === 'next-token' ? plain.predictions.top[0].id : -1);
    close(lens[2][5][0].prob, plain.predictions.kind === 'next-token' ? plain.predictions.top[0].prob : -1, 'lens prob', 1e-6);
  });

  it('GPT-2: one generation step appends the most likely token', () => {
    const before = inspectModel(gpt2.model, gpt2.tokenizer, 'The cat');
    const step = generateStep(gpt2.model, gpt2.tokenizer, 'The cat');
    assert.ok(before.predictions.kind === 'next-token');
    assert.equal(step.chosen.id, before.predictions.kind === 'next-token' ? before.predictions.top[0].id : -1);
    assert.equal(step.inspection.tokens.length, before.tokens.length + 1);
    assert.equal(step.inspection.attentions[0].weights[0][0].length, before.tokens.length + 1);
    const sampled = generateStep(gpt2.model, gpt2.tokenizer, 'The cat', { sample: true, seed: 3 });
    assert.equal(generateStep(gpt2.model, gpt2.tokenizer, 'The cat', { sample: true, seed: 3 }).chosen.id, sampled.chosen.id);
  });

  it('T5: encoder, decoder and cross-attention equal to the outputs; output text and decoder lens', () => {
    const r = inspectModel(t5.model, t5.tokenizer, 'translate English to German: The house is wonderful.');
    assert.equal(r.tokens.at(-1)!.piece, '</s>');
    assert.ok(r.tokens.at(-1)!.special);
    assert.ok(r.outputTokens && r.outputTokens.length >= 2);
    assert.equal(r.outputTokens![0].id, 0);
    const out = forward(t5, { inputIds: [r.tokens.map((t) => t.id)], decoderInputIds: [r.outputTokens!.map((t) => t.id)] });
    assert.deepEqual(r.attentions.map((a) => a.kind), ['encoder', 'decoder', 'cross']);
    assertSameAttention(r.attentions[0].weights, out.encoderAttentions, 't5 encoder');
    assertSameAttention(r.attentions[1].weights, out.decoderAttentions, 't5 decoder');
    assertSameAttention(r.attentions[2].weights, out.crossAttentions, 't5 cross');
    assert.equal(r.attentions[2].weights[0][0].length, r.outputTokens!.length);
    assert.equal(r.attentions[2].weights[0][0][0].length, r.tokens.length);
    assert.deepEqual(r.hiddenStates.map((h) => h.stack), ['encoder', 'decoder']);
    assert.equal(r.predictions.kind, 'seq2seq');
    assert.equal(r.logitLens?.stack, 'decoder');
    const fixed = inspectModel(t5.model, t5.tokenizer, 'the cat', { decoderText: 'the' });
    assert.deepEqual(fixed.outputTokens!.map((t) => t.piece), ['<pad>', '▁the']);
  });

  it('cuts long inputs to maxTokens, keeping the special tokens', () => {
    const r = inspectModel(bert.model, bert.tokenizer, 'the cat sat on the mat and the dog sat on the cat', { maxTokens: 8 });
    assert.equal(r.truncated, true);
    assert.equal(r.tokens.length, 8);
    assert.equal(r.tokens.at(-1)!.piece, '[SEP]');
    assert.equal(r.attentions[0].weights[0][0].length, 8);
    assert.throws(() => inspectModel(gpt2.model, gpt2.tokenizer, 'x', { inputIds: Array(9).fill(1), maxTokens: 8 }), /9 tokens exceed the explorer's limit of 8/);
  });

  it('rejects bad options with clear errors', () => {
    assert.throws(() => inspectModel(gpt2.model, gpt2.tokenizer, 'the', { temperature: 0 }), /temperature must be a positive number/);
    assert.throws(() => inspectModel(gpt2.model, gpt2.tokenizer, 'x', { inputIds: [5000] }), /outside the model's vocabulary/);
    assert.throws(() => inspectModel(gpt2.model, gpt2.tokenizer, ''), /type some text/);
    assert.throws(() => generateStep(bert.model, bert.tokenizer, 'the cat'), /does not generate text/);
  });
});
