/**
 * Bits per byte of a causal LM (Kotoba's GPT-2) on a list of documents:
 *
 *   bits per byte = sum over documents of -log2 P(document) / sum of UTF-8 bytes of the documents
 *
 * Each document is tokenized on its own and scored after the beginning-of-text token (GPT-2's
 * <|endoftext|>), so every token of it is predicted and nothing leaks from one document to the
 * next. A document longer than the context window is cut into consecutive chunks; a chunk
 * after the first starts with the last token of the previous chunk as its only context (so no
 * token is predicted twice). log P = logit - logsumexp(logits), summed in float64.
 */
import type { GPT2LMHeadModel } from '../models/index.js';
import { noGrad, tensor } from '../tensor/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';

export interface BitsResult {
  bits: number;
  bytes: number;
  tokens: number;
  bitsPerByte: number;
}

/** Windows of at most `window` input ids, whose predictions cover ids[1..] exactly once. */
export function chunkForScoring(ids: readonly number[], window: number): number[][] {
  if (window < 2) throw new Error('chunkForScoring: the window must hold at least 2 tokens');
  const chunks: number[][] = [];
  for (let start = 0; start < ids.length - 1; start += window - 1) chunks.push(ids.slice(start, Math.min(ids.length, start + window)));
  return chunks;
}

/** Sum of -log2 p(next token) over a batch of right-padded rows of ids. */
function scoreRows(model: GPT2LMHeadModel, rows: readonly number[][]): number {
  const length = Math.max(...rows.map((r) => r.length));
  const ids = rows.map((r) => [...r, ...new Array<number>(length - r.length).fill(0)]);
  const mask = rows.map((r) => [...new Array<number>(r.length).fill(1), ...new Array<number>(length - r.length).fill(0)]);
  const logits = noGrad(() => model.forward({ inputIds: tensor(ids, { dtype: 'int32' }), attentionMask: tensor(mask, { dtype: 'int32' }) }).logits);
  const [, , vocab] = logits.shape;
  const data = logits.contiguousData() as Float32Array;
  // log of the softmax denominator per position, by the tensor op (float64 accumulation inside)
  const logZ = noGrad(() => logits.logsumexp(-1)).contiguousData() as Float32Array;
  let nats = 0;
  rows.forEach((row, b) => {
    for (let p = 0; p + 1 < row.length; p++) {
      const at = b * length + p;
      nats += logZ[at] - data[at * vocab + row[p + 1]];
    }
  });
  return nats / Math.LN2;
}

export function causalLmBits(model: GPT2LMHeadModel, tokenizer: PreTrainedTokenizer, documents: readonly string[], options: { batchSize?: number; window?: number } = {}): BitsResult {
  const bos = tokenizer.bosTokenId ?? tokenizer.eosTokenId;
  if (bos === null) throw new Error('causalLmBits: the tokenizer has no beginning/end-of-text token');
  const window = options.window ?? model.config.nPositions;
  const chunks: number[][] = [];
  let bytes = 0;
  let tokens = 0;
  for (const doc of documents) {
    const ids = tokenizer.encode(doc, { addSpecialTokens: false });
    tokens += ids.length;
    bytes += Buffer.byteLength(doc, 'utf8');
    chunks.push(...chunkForScoring([bos, ...ids], window));
  }
  chunks.sort((a, b) => a.length - b.length); // less padding per batch
  const size = options.batchSize ?? 16;
  let bits = 0;
  for (let i = 0; i < chunks.length; i += size) bits += scoreRows(model, chunks.slice(i, i + size));
  return { bits, bytes, tokens, bitsPerByte: bits / bytes };
}
