/**
 * NoBadWordsLogitsProcessor: `badWordsIds` is a list of token sequences that must never be
 * generated. A one-token sequence is banned everywhere; for a longer one, its last token is
 * banned when the sequence so far ends with the others. As transformers does, sequences that
 * are exactly an eos token are dropped (banning eos would stop nothing from ending).
 */
import { OptionError } from '../../errors.js';
import type { Tensor } from '../../tensor/index.js';
import { editableScores, idList, rowIds, type LogitsProcessor } from './processor.js';

export class NoBadWordsLogitsProcessor implements LogitsProcessor {
  readonly badWordsIds: number[][];

  constructor(badWordsIds: readonly (readonly number[])[], eosTokenId: number | readonly number[] | null = null) {
    if (!Array.isArray(badWordsIds) || badWordsIds.length === 0 || badWordsIds.some((w) => !Array.isArray(w) || w.length === 0 || w.some((t) => !Number.isInteger(t) || t < 0))) {
      throw new OptionError(`badWordsIds must be a non-empty list of non-empty lists of token ids >= 0, got ${JSON.stringify(badWordsIds)}`);
    }
    const eos = idList(eosTokenId);
    this.badWordsIds = badWordsIds.filter((w) => !(w.length === 1 && eos.includes(w[0]))).map((w) => [...w]);
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    const { data, rows, vocab, done } = editableScores(scores);
    const curLen = inputIds.shape[1];
    for (let r = 0; r < rows; r++) {
      const ids = rowIds(inputIds, r);
      for (const word of this.badWordsIds) {
        const banned = word[word.length - 1];
        if (banned >= vocab) continue;
        const prefix = word.length - 1;
        if (prefix > curLen) continue;
        let match = true;
        for (let j = 0; j < prefix && match; j++) match = ids[curLen - prefix + j] === word[j];
        if (match) data[r * vocab + banned] = -Infinity;
      }
    }
    return done();
  }
}
