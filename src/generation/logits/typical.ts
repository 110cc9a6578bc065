/**
 * TypicalLogitsWarper (locally typical sampling, Meister et al. 2022): keeps the tokens whose
 * surprisal -log p is closest to the distribution's entropy, until their probabilities add up
 * to typicalP. Follows transformers: sort by |(-log p) - H| ascending, cumulative softmax of
 * the sorted scores, keep up to the first index where it reaches typicalP (inclusive), always
 * at least `minTokensToKeep`.
 */
import { OptionError } from '../../errors.js';
import { cumsum, logSoftmax, softmax, Tensor } from '../../tensor/index.js';
import { argsortRow } from '../select.js';
import { editableScores, type LogitsProcessor } from './processor.js';

export class TypicalLogitsWarper implements LogitsProcessor {
  constructor(readonly mass = 0.9, readonly minTokensToKeep = 1, readonly filterValue = -Infinity) {
    if (!(mass > 0 && mass < 1)) throw new OptionError(`typicalP must be in (0, 1) to filter (1 turns it off), got ${mass}`);
  }

  process(_inputIds: Tensor, scores: Tensor): Tensor {
    const { data, rows, vocab, done } = editableScores(scores);
    const logp = logSoftmax(scores.reshape([rows, vocab]), -1).contiguousData() as Float32Array;
    const shifted = new Float32Array(rows * vocab);
    for (let r = 0; r < rows; r++) {
      let entropy = 0;
      for (let i = r * vocab; i < (r + 1) * vocab; i++) {
        const p = Math.exp(logp[i]);
        if (p > 0) entropy -= logp[i] * p; // nansum: 0 * -inf terms are skipped
      }
      for (let i = r * vocab; i < (r + 1) * vocab; i++) shifted[i] = Math.abs(-logp[i] - entropy);
    }
    const order = new Int32Array(rows * vocab);
    const shiftData = new Float32Array(rows * vocab);
    const sortedScores = new Float32Array(rows * vocab);
    for (let r = 0; r < rows; r++) {
      const base = r * vocab;
      order.set(argsortRow(shifted.subarray(base, base + vocab)), base);
      for (let j = 0; j < vocab; j++) {
        shiftData[base + j] = shifted[base + order[base + j]];
        sortedScores[base + j] = data[base + order[base + j]];
      }
    }
    const cumulative = cumsum(softmax(Tensor.fromArray(sortedScores, [rows, vocab]), -1), -1).contiguousData() as Float32Array;
    for (let r = 0; r < rows; r++) {
      const base = r * vocab;
      let lastIndex = 0;
      while (lastIndex < vocab && cumulative[base + lastIndex] < this.mass) lastIndex++;
      lastIndex = Math.min(lastIndex, vocab - 1);
      const cutoff = shiftData[base + lastIndex];
      for (let j = this.minTokensToKeep; j < vocab; j++) {
        if (shiftData[base + j] > cutoff) data[base + order[base + j]] = this.filterValue;
      }
    }
    return done();
  }
}
