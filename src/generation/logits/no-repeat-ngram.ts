/**
 * NoRepeatNGramLogitsProcessor: forbids any n-gram of size n from occurring twice. When the
 * last n-1 tokens of a row already appeared earlier followed by token t, t gets -inf. As in
 * transformers, the whole sequence (prompt included) counts.
 */
import { OptionError } from '../../errors.js';
import type { Tensor } from '../../tensor/index.js';
import { editableScores, rowIds, type LogitsProcessor } from './processor.js';

export class NoRepeatNGramLogitsProcessor implements LogitsProcessor {
  constructor(readonly ngramSize: number) {
    if (!Number.isInteger(ngramSize) || ngramSize <= 0) throw new OptionError(`noRepeatNgramSize must be an integer > 0, got ${ngramSize}`);
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    const n = this.ngramSize;
    const curLen = inputIds.shape[1];
    if (curLen + 1 < n) return scores;
    const { data, rows, vocab, done } = editableScores(scores);
    for (let r = 0; r < rows; r++) {
      const ids = rowIds(inputIds, r);
      const prefixStart = curLen - n + 1;
      // every earlier start s whose n-1 tokens equal the current last n-1 bans ids[s + n - 1]
      for (let s = 0; s + n <= curLen; s++) {
        let same = true;
        for (let j = 0; j < n - 1 && same; j++) same = ids[s + j] === ids[prefixStart + j];
        const banned = ids[s + n - 1];
        if (same && banned >= 0 && banned < vocab) data[r * vocab + banned] = -Infinity;
      }
    }
    return done();
  }
}
