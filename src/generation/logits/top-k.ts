/**
 * TopKLogitsWarper: keeps the k highest scores; every score below the k-th largest becomes
 * -inf (ties with the k-th are kept, as transformers' `scores < topk(...)[..., -1]` does).
 * k = min(max(topK, minTokensToKeep), vocab).
 */
import { OptionError } from '../../errors.js';
import type { Tensor } from '../../tensor/index.js';
import { topKRow } from '../select.js';
import { editableScores, type LogitsProcessor } from './processor.js';

export class TopKLogitsWarper implements LogitsProcessor {
  constructor(readonly topK: number, readonly minTokensToKeep = 1, readonly filterValue = -Infinity) {
    if (!Number.isInteger(topK) || topK <= 0) throw new OptionError(`topK must be an integer > 0, got ${topK}`);
  }

  process(_inputIds: Tensor, scores: Tensor): Tensor {
    const { data, rows, vocab, done } = editableScores(scores);
    const k = Math.min(Math.max(this.topK, this.minTokensToKeep), vocab);
    if (k >= vocab) return scores;
    for (let r = 0; r < rows; r++) {
      const row = data.subarray(r * vocab, (r + 1) * vocab);
      const threshold = row[topKRow(row, k)[k - 1]];
      for (let i = r * vocab; i < (r + 1) * vocab; i++) if (data[i] < threshold) data[i] = this.filterValue;
    }
    return done();
  }
}
