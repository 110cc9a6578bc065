/**
 * MinLengthLogitsProcessor and MinNewTokensLengthLogitsProcessor: while the sequence is too
 * short, every eos token gets -inf so generation cannot end. minLength counts the whole
 * sequence (prompt or decoder start included); minNewTokens counts generated tokens only.
 */
import { OptionError } from '../../errors.js';
import type { Tensor } from '../../tensor/index.js';
import { editableScores, idList, type LogitsProcessor } from './processor.js';

function banEos(scores: Tensor, eos: readonly number[]): Tensor {
  const { data, rows, vocab, done } = editableScores(scores);
  for (let r = 0; r < rows; r++) for (const id of eos) if (id >= 0 && id < vocab) data[r * vocab + id] = -Infinity;
  return done();
}

export class MinLengthLogitsProcessor implements LogitsProcessor {
  readonly eosTokenIds: number[];

  constructor(readonly minLength: number, eosTokenId: number | readonly number[]) {
    if (!Number.isInteger(minLength) || minLength < 0) throw new OptionError(`minLength must be an integer >= 0, got ${minLength}`);
    this.eosTokenIds = idList(eosTokenId);
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    return inputIds.shape[1] < this.minLength ? banEos(scores, this.eosTokenIds) : scores;
  }
}

export class MinNewTokensLengthLogitsProcessor implements LogitsProcessor {
  readonly eosTokenIds: number[];

  /** promptLengthToSkip: the prompt length (decoder-only) or 1 for the decoder start token. */
  constructor(readonly promptLengthToSkip: number, readonly minNewTokens: number, eosTokenId: number | readonly number[]) {
    if (!Number.isInteger(minNewTokens) || minNewTokens < 0) throw new OptionError(`minNewTokens must be an integer >= 0, got ${minNewTokens}`);
    this.eosTokenIds = idList(eosTokenId);
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    const newTokens = inputIds.shape[1] - this.promptLengthToSkip;
    return newTokens < this.minNewTokens ? banEos(scores, this.eosTokenIds) : scores;
  }
}
