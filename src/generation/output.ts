/** What generate() returns with returnDictInGenerate: transformers' GenerateOutput fields in camelCase, plus Kotoba's per-token log-probabilities and finish reasons. */
import type { KeyValueCache } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import type { TokenLogprob } from './logprobs.js';
import type { FinishReason } from './stopping/criteria.js';

export interface GenerateOutput {
  /** int32 [batch * numReturnSequences, length]: the prompt (decoder-only) or the decoder start token, then the generated tokens. */
  sequences: Tensor;
  /** Beam search: the final score of each returned sequence, float32 [batch * numReturnSequences]; null otherwise. */
  sequencesScores: Tensor | null;
  /** outputScores: the processed scores of each step, [rows, vocab] each; null otherwise. */
  scores: Tensor[] | null;
  /** outputLogits: the raw logits of each step; null otherwise. */
  logits: Tensor[] | null;
  /** Why each returned sequence ended. */
  finishReasons: FinishReason[];
  /** outputLogprobs (greedy/sampling): per sequence, the log-probability of each generated token up to where it finished. */
  tokenLogprobs: number[][] | null;
  /** topLogprobs > 0: per sequence and generated token, the most likely tokens of that step. */
  topLogprobs: TokenLogprob[][][] | null;
  /** The cache after the last step (useCache, greedy/sampling). */
  pastKeyValues: KeyValueCache | null;
}
