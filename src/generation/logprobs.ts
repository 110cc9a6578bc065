/**
 * Per-token log-probabilities for the caller (OpenAI's `logprobs`): log_softmax of the model's
 * raw logits (before any processor or warper, as vLLM reports by default), at the chosen token,
 * and optionally the n most likely tokens of each step.
 */
import { logSoftmax, type Tensor } from '../tensor/index.js';
import { topKRow } from './select.js';

export interface TokenLogprob {
  tokenId: number;
  logprob: number;
}

export interface StepLogprobs {
  /** logprob of the chosen token, per row. */
  chosen: number[];
  /** The n most likely tokens per row, most likely first (empty lists when n = 0). */
  top: TokenLogprob[][];
}

export function stepLogprobs(logits: Tensor, tokens: readonly number[], n: number): StepLogprobs {
  const logp = logSoftmax(logits, -1);
  const data = logp.contiguousData() as Float32Array;
  const vocab = logits.shape[logits.ndim - 1];
  const chosen = tokens.map((t, r) => data[r * vocab + t]);
  let top: TokenLogprob[][] = tokens.map(() => []);
  if (n > 0) {
    top = tokens.map((_, r) => {
      const row = data.subarray(r * vocab, (r + 1) * vocab);
      return Array.from(topKRow(row, n), (id) => ({ tokenId: id, logprob: row[id] }));
    });
  }
  return { chosen, top };
}
