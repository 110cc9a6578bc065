/**
 * ForcedBOSTokenLogitsProcessor and ForcedEOSTokenLogitsProcessor: force a given token as the
 * first generated token (encoder-decoder models, after the decoder start token: curLen 1) or as
 * the last one before maxLength. Every other score becomes -inf and the forced one 0.
 */
import type { Tensor } from '../../tensor/index.js';
import { editableScores, idList, type LogitsProcessor } from './processor.js';

function force(scores: Tensor, ids: readonly number[]): Tensor {
  const { data, rows, vocab, done } = editableScores(scores);
  data.fill(-Infinity);
  for (let r = 0; r < rows; r++) for (const id of ids) if (id >= 0 && id < vocab) data[r * vocab + id] = 0;
  return done();
}

export class ForcedBOSTokenLogitsProcessor implements LogitsProcessor {
  constructor(readonly bosTokenId: number) {}

  process(inputIds: Tensor, scores: Tensor): Tensor {
    return inputIds.shape[1] === 1 ? force(scores, [this.bosTokenId]) : scores;
  }
}

export class ForcedEOSTokenLogitsProcessor implements LogitsProcessor {
  readonly eosTokenIds: number[];

  constructor(readonly maxLength: number, eosTokenId: number | readonly number[]) {
    this.eosTokenIds = idList(eosTokenId);
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    return inputIds.shape[1] === this.maxLength - 1 ? force(scores, this.eosTokenIds) : scores;
  }
}
