/**
 * TopPLogitsWarper (nucleus sampling): keeps the smallest set of most likely tokens whose
 * probabilities add up to more than topP. As transformers does it: sort the scores ascending,
 * take the cumulative sum of their softmax (float32), remove entries where it is <= 1 - topP,
 * but never the last `minTokensToKeep` (the most likely ones), and scatter back.
 */
import { OptionError } from '../../errors.js';
import { cumsum, softmax, Tensor } from '../../tensor/index.js';
import { argsortRow } from '../select.js';
import { editableScores, type LogitsProcessor } from './processor.js';

export class TopPLogitsWarper implements LogitsProcessor {
  constructor(readonly topP: number, readonly minTokensToKeep = 1, readonly filterValue = -Infinity) {
    if (!(topP > 0 && topP <= 1)) throw new OptionError(`topP must be in (0, 1], got ${topP}`);
    if (!Number.isInteger(minTokensToKeep) || minTokensToKeep < 1) {
      throw new OptionError(`minTokensToKeep must be an integer >= 1, got ${minTokensToKeep}`);
    }
  }

  process(_inputIds: Tensor, scores: Tensor): Tensor {
    const { data, rows, vocab, done } = editableScores(scores);
    const order = new Int32Array(rows * vocab);
    const sorted = new Float32Array(rows * vocab);
    for (let r = 0; r < rows; r++) {
      const base = r * vocab;
      order.set(argsortRow(data.subarray(base, base + vocab)), base);
      for (let j = 0; j < vocab; j++) sorted[base + j] = data[base + order[base + j]];
    }
    const cumulative = cumsum(softmax(Tensor.fromArray(sorted, [rows, vocab]), -1), -1).contiguousData() as Float32Array;
    const limit = Math.fround(1 - this.topP);
    for (let r = 0; r < rows; r++) {
      const base = r * vocab;
      for (let j = 0; j < vocab - this.minTokensToKeep; j++) {
        if (cumulative[base + j] <= limit) data[base + order[base + j]] = this.filterValue;
      }
    }
    return done();
  }
}
