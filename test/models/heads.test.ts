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
