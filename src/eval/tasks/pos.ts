/**
 * kotoba-bert-mini-pos: token accuracy on brown_pos test. The words are joined with spaces (as
 * in fine-tuning, training/data/labeled.ts) and each word's tag is predicted at its first
 * sub-token. Nothing is truncated below the model's context; a word that gets no sub-token counts
 * as wrong. Baseline: the most-frequent-tag tagger trained on brown_pos train.
 */
import { BertForTokenClassification } from '../../models/index.js';
import { noGrad, tensor } from '../../tensor/index.js';
import { AutoTokenizer } from '../../tokenizers/index.js';
import { tokenAccuracy } from '../accuracy.js';
import { batches, type EvalContext } from '../context.js';
import { firstN, readSplit } from '../data.js';
import { MostFrequentTagger } from '../pos-baseline.js';
import type { ReportedResult } from '../results.js';
import { joinWords } from '../../training/data/labeled.js';

interface Sentence {
  tokens: string[];
  tags: string[];
}


/** For each word, the index of its first sub-token (-1 when it has none). */
export function firstSubTokens(spans: readonly [number, number][], offsets: readonly [number, number][], special: readonly number[]): number[] {
  const first = new Array<number>(spans.length).fill(-1);
  let w = 0;
  for (let t = 0; t < offsets.length; t++) {
    const [start, end] = offsets[t];
    if (special[t] || end <= start) continue;
    while (w < spans.length && spans[w][1] <= start) w++;
    if (w < spans.length && start >= spans[w][0] && first[w] < 0) first[w] = t;
  }
  return first;
}

export async function evaluatePos(ctx: EvalContext, folder: string): Promise<ReportedResult[]> {
  const test = firstN(readSplit<Sentence>(ctx.data, 'brown_pos', 'test'), ctx.limit);
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const model = await BertForTokenClassification.fromPretrained(folder);
  const id2label = model.config.id2label;
  const context = Number((model.config as unknown as { maxPositionEmbeddings?: number }).maxPositionEmbeddings ?? 512);
  const predictions: (string | null)[][] = [];
  for (const batch of batches(test, 32)) {
    const joined = batch.map((s) => joinWords(s.tokens));
    const enc = tokenizer.encodeBatch(joined.map((j) => j.text), { padding: true, truncation: true, maxLength: context });
    const logits = noGrad(() => model.forward({
      inputIds: tensor(enc.inputIds, { dtype: 'int32' }),
      attentionMask: tensor(enc.attentionMask, { dtype: 'int32' }),
      tokenTypeIds: tensor(enc.tokenTypeIds, { dtype: 'int32' }),
    }).logits);
    const best = logits.argmax(-1).toArray() as number[][];
    batch.forEach((s, i) => {
      const e = enc.encodings[i];
      const first = firstSubTokens(joined[i].spans, e.offsets, e.specialTokensMask);
      predictions.push(first.map((t) => (t < 0 ? null : String(id2label[best[i][t]] ?? best[i][t]))));
    });
  }
  const gold = test.map((s) => s.tags);
  const { accuracy, tokens } = tokenAccuracy(predictions, gold);
  const tagger = new MostFrequentTagger().fit(readSplit<Sentence>(ctx.data, 'brown_pos', 'train'));
  const baseline = tokenAccuracy(test.map((s) => tagger.tag(s.tokens)), gold).accuracy;
  return [{
    task: 'part-of-speech tagging',
    dataset: 'brown_pos',
    split: 'test',
    n: tokens,
    metric: 'token accuracy',
    value: accuracy,
    higher_is_better: true,
    baselines: [{ name: 'most frequent tag per word form (lowercased fallback, then the overall most frequent tag; brown_pos train)', value: baseline }],
    note: `brown_pos: n counts words (tokens) in ${test.length} sentences; each word's tag is predicted at its first sub-token.`,
  }];
}
