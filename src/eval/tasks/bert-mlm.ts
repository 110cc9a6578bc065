/**
 * kotoba-bert-mini: masked-token accuracy (not pseudo-perplexity, which needs one forward pass
 * per token) on the texts of sentiment_uci test, held out from its pretraining corpus. In each
 * text, every 7th word-piece (positions 3, 10, 17, ... counting the non-special tokens from 0;
 * about 14%) is replaced by [MASK] at once, and the model's top prediction at each masked
 * position must equal the original word-piece. Baseline: always predicting the most frequent
 * word-piece of sentiment_uci train (same tokenizer).
 */
import { BertForMaskedLM } from '../../models/index.js';
import { noGrad, tensor } from '../../tensor/index.js';
import { AutoTokenizer } from '../../tokenizers/index.js';
import { batches, type EvalContext } from '../context.js';
import { firstN, readSplit } from '../data.js';
import type { ReportedResult } from '../results.js';

export const MASK_EVERY = 7;
export const MASK_OFFSET = 3;

export async function evaluateBertMlm(ctx: EvalContext, folder: string): Promise<ReportedResult[]> {
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const mask = tokenizer.maskTokenId;
  if (mask === null) throw new Error(`${folder}: the tokenizer has no mask token`);
  const model = await BertForMaskedLM.fromPretrained(folder);
  const texts = firstN(readSplit(ctx.data, 'sentiment_uci', 'test'), ctx.limit).map((r) => String(r.text));
  let correct = 0;
  let baselineCorrect = 0;
  let masked = 0;
  // the baseline's single guess
  const freq = new Map<number, number>();
  for (const r of readSplit(ctx.data, 'sentiment_uci', 'train')) {
    for (const id of tokenizer.encode(String(r.text), { addSpecialTokens: false })) freq.set(id, (freq.get(id) ?? 0) + 1);
  }
  const mostFrequent = [...freq].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  for (const batch of batches(texts, 32)) {
    const enc = tokenizer.encodeBatch(batch, { padding: true, truncation: true, maxLength: 128 });
    const gold: { row: number; pos: number; id: number }[] = [];
    const ids = enc.inputIds.map((row, r) => {
      const out = [...row];
      let k = 0;
      for (let p = 0; p < row.length; p++) {
        if (enc.specialTokensMask[r][p] || !enc.attentionMask[r][p]) continue;
        if (k % MASK_EVERY === MASK_OFFSET) {
          gold.push({ row: r, pos: p, id: row[p] });
          out[p] = mask;
        }
        k++;
      }
      return out;
    });
    const logits = noGrad(() => model.forward({
      inputIds: tensor(ids, { dtype: 'int32' }),
      attentionMask: tensor(enc.attentionMask, { dtype: 'int32' }),
      tokenTypeIds: tensor(enc.tokenTypeIds, { dtype: 'int32' }),
    }).logits);
    const best = logits.argmax(-1).toArray() as number[][];
    for (const g of gold) {
      masked++;
      if (best[g.row][g.pos] === g.id) correct++;
      if (g.id === mostFrequent) baselineCorrect++;
    }
  }
  return [{
    task: 'masked-token prediction',
    dataset: 'sentiment_uci',
    split: 'test',
    n: masked,
    metric: 'masked-token accuracy',
    value: correct / masked,
    higher_is_better: true,
    baselines: [{ name: `always the most frequent word-piece of sentiment_uci train (${JSON.stringify(tokenizer.convertIdsToTokens(mostFrequent))})`, value: baselineCorrect / masked }],
    note: `sentiment_uci (masked LM): n counts masked word-pieces (every ${MASK_EVERY}th, masked together) in ${texts.length} texts.`,
  }];
}
