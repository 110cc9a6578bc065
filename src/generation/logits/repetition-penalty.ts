/**
 * RepetitionPenaltyLogitsProcessor (Keskar et al. 2019, CTRL): every token already in the
 * sequence (prompt included, as in transformers) has its score divided by the penalty when
 * positive and multiplied by it when negative, so penalty > 1 discourages repeats.
 */
import { OptionError } from '../../errors.js';
import type { Tensor } from '../../tensor/index.js';
import { editableScores, rowIds, type LogitsProcessor } from './processor.js';

export class RepetitionPenaltyLogitsProcessor implements LogitsProcessor {
  constructor(readonly penalty: number) {
    if (!(penalty > 0 && Number.isFinite(penalty))) throw new OptionError(`repetitionPenalty must be a finite number > 0, got ${penalty}`);
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    const { data, rows, vocab, done } = editableScores(scores);
    for (let r = 0; r < rows; r++) {
      const seen = new Set(rowIds(inputIds, r));
      for (const id of seen) {
        if (id < 0 || id >= vocab) continue;
        const i = r * vocab + id;
        data[i] = data[i] < 0 ? data[i] * this.penalty : data[i] / this.penalty;
      }
    }
    return done();
  }
}
