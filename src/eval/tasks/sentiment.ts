/** kotoba-bert-mini-sentiment: accuracy on sentiment_uci test, against the classical baselines. */
import { BertForSequenceClassification } from '../../models/index.js';
import { noGrad, tensor } from '../../tensor/index.js';
import { AutoTokenizer } from '../../tokenizers/index.js';
import { accuracy } from '../accuracy.js';
import { classificationBaselines } from '../classification-baselines.js';
import { batches, type EvalContext } from '../context.js';
import { firstN, readSplit } from '../data.js';
import type { ReportedResult } from '../results.js';

export async function evaluateSentiment(ctx: EvalContext, folder: string): Promise<ReportedResult[]> {
  const test = firstN(readSplit(ctx.data, 'sentiment_uci', 'test'), ctx.limit).map((r) => ({ text: String(r.text), label: String(r.label) }));
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const model = await BertForSequenceClassification.fromPretrained(folder);
  const id2label = model.config.id2label;
  const predictions: string[] = [];
  for (const batch of batches(test, 32)) {
    const enc = tokenizer.encodeBatch(batch.map((e) => e.text), { padding: true, truncation: true, maxLength: 128 });
    const logits = noGrad(() => model.forward({
      inputIds: tensor(enc.inputIds, { dtype: 'int32' }),
      attentionMask: tensor(enc.attentionMask, { dtype: 'int32' }),
      tokenTypeIds: tensor(enc.tokenTypeIds, { dtype: 'int32' }),
    }).logits);
    const best = logits.argmax(-1).toFlatArray();
    for (const id of best) predictions.push(String(id2label[id] ?? id));
  }
  return [{
    task: 'sentiment',
    dataset: 'sentiment_uci',
    split: 'test',
    n: test.length,
    metric: 'accuracy',
    value: accuracy(predictions, test.map((e) => e.label)),
    higher_is_better: true,
    baselines: classificationBaselines(ctx.data, 'sentiment_uci', test),
  }];
}
