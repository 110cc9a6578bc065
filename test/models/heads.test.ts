import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BertConfig, BertForMaskedLM, BertForPreTraining, BertForSequenceClassification, bceWithLogits, manualSeed, mseLoss, noGrad, tensor,
} from '../../src/index.js';
import { modelFolder } from './fixture-cases.js';

const inputIds = [[2, 10, 11, 12, 3], [2, 20, 21, 3, 0]];
const attentionMask = [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]];

test('sequence classification: regression with one label, multi-label with float labels (transformers problem_type rules)', () => {
  manualSeed(0);
  const tiny = { vocab_size: 40, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 16 };
  const regression = new BertForSequenceClassification(new BertConfig({ ...tiny, num_labels: 1 })).eval();
  noGrad(() => {
    const out = regression.forward({ inputIds, attentionMask, labels: [0.5, -1.0] });
    assert.ok(Math.abs(out.loss!.item() - mseLoss(out.logits.squeeze(), tensor([0.5, -1.0])).item()) < 1e-7);
    assert.equal(regression.config.problemType, 'regression');
  });
  const multi = new BertForSequenceClassification(new BertConfig({ ...tiny, num_labels: 3 })).eval();
  noGrad(() => {
    const labels = tensor([[1, 0, 1], [0, 0, 1]]);
    const out = multi.forward({ inputIds, attentionMask, labels });
    assert.ok(Math.abs(out.loss!.item() - bceWithLogits(out.logits, labels).item()) < 1e-7);
    assert.equal(multi.config.problemType, 'multi_label_classification');
  });
});

test('BertForPreTraining: MLM + next-sentence heads; its MLM logits equal BertForMaskedLM on the same checkpoint', async () => {
  const pre = await BertForPreTraining.fromPretrained(modelFolder('bert-tiny-mlm'), { onWarning: () => {} });
  const mlm = await BertForMaskedLM.fromPretrained(modelFolder('bert-tiny-mlm'));
  noGrad(() => {
    const labels = [[-100, 10, -100, -100, -100], [-100, -100, 21, -100, -100]];
    const a = pre.forward({ inputIds, attentionMask, labels, nextSentenceLabel: [0, 1] });
    const b = mlm.forward({ inputIds, attentionMask, labels });
    assert.deepEqual(a.predictionLogits.toFlatArray(), b.logits.toFlatArray());
    assert.deepEqual([...a.seqRelationshipLogits.shape], [2, 2]);
    assert.ok(a.loss!.item() > b.loss!.item());
  });
  assert.deepEqual(pre.tiedWeightKeys(), ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias']);
});

test('training mode applies dropout to the attention probabilities; the written-out path equals the fused kernel', async () => {
  const { GPT2LMHeadModel, T5ForConditionalGeneration } = await import('../../src/index.js');
  for (const [cls, folder, inputs] of [
    [GPT2LMHeadModel, 'gpt2-tiny', { inputIds: [[5, 6, 7, 8], [9, 10, 11, 12]], attentionMask: [[1, 1, 1, 1], [1, 1, 1, 0]] }],
    [T5ForConditionalGeneration, 't5-tiny-v1_0', { inputIds: [[5, 6, 7, 1], [9, 10, 1, 0]], attentionMask: [[1, 1, 1, 1], [1, 1, 1, 0]], decoderInputIds: [[0, 4, 5], [0, 6, 7]] }],
  ] as const) {
    const model = await (cls as any).fromPretrained(modelFolder(folder));
    const evalLogits = noGrad(() => model.forward(inputs).logits);
    // every other dropout off, attention dropout p -> 0: the step-by-step path must give the eval result
    model.train();
    for (const m of model.modules()) {
      if ('attentionDropout' in m) (m as any).attentionDropout = 1e-12;
      else if ('p' in m) (m as any).p = 0;
    }
    const written = noGrad(() => model.forward(inputs).logits);
    const diff = evalLogits.toFlatArray().reduce((d: number, v: number, i: number) => Math.max(d, Math.abs(v - written.toFlatArray()[i])), 0);
    assert.ok(diff < 1e-4, `${folder}: written-out attention differs by ${diff}`);
    for (const m of model.modules()) if ('attentionDropout' in m) (m as any).attentionDropout = 0.5;
    manualSeed(1);
    const out = model.forward(inputs);
    assert.notDeepEqual(out.logits.toFlatArray(), evalLogits.toFlatArray());
    out.logits.sum().backward();
    assert.ok(model.parameters().every((p: any) => p.grad !== null || !p.requiresGrad), 'gradients reach every weight');
  }
});

test('BertForMaskedLM.sparsePrediction: the head runs at the labelled positions only, with the same loss, logits rows and gradients', async () => {
  const full = await BertForMaskedLM.fromPretrained(modelFolder('bert-tiny-mlm'));
  const sparse = await BertForMaskedLM.fromPretrained(modelFolder('bert-tiny-mlm'));
  sparse.sparsePrediction = true;
  const labels = [[-100, 10, -100, 7, -100], [-100, -100, 21, -100, -100]];
  const a = full.forward({ inputIds, attentionMask, labels });
  const b = sparse.forward({ inputIds, attentionMask, labels });
  const vocab = a.logits.shape[2];
  assert.deepEqual([...b.logits.shape], [3, vocab]);
  const rows = a.logits.reshape([-1, vocab]).toArray() as number[][];
  const sparseRows = b.logits.toArray() as number[][];
  [1, 3, 7].forEach((flatPosition, r) => assert.deepEqual(sparseRows[r], rows[flatPosition]));
  assert.ok(Math.abs(a.loss!.item() - b.loss!.item()) < 1e-6, `${a.loss!.item()} vs ${b.loss!.item()}`);
  a.loss!.backward();
  b.loss!.backward();
  const sparseParams = new Map(sparse.namedParameters());
  for (const [name, p] of full.namedParameters()) {
    const g = p.grad!.toFlatArray(), h = sparseParams.get(name)!.grad!.toFlatArray();
    for (let i = 0; i < g.length; i++) assert.ok(Math.abs(g[i] - h[i]) <= 1e-6 + 1e-5 * Math.abs(g[i]), `${name}[${i}]: ${g[i]} vs ${h[i]}`);
  }
  // without labels there is nothing to select: the full logits, as before
  noGrad(() => assert.deepEqual([...sparse.forward({ inputIds, attentionMask }).logits.shape], [2, 5, vocab]));
});
