/**
 * Masked language modeling (BERT's objective, Devlin et al. 2019, section 3.1), as transformers'
 * DataCollatorForLanguageModeling: each token is chosen for prediction with probability
 * `mlmProbability` (0.15), never a special token or padding; a chosen token is replaced by [MASK]
 * 80% of the time, by a random token 10%, and left as it is 10%. Labels hold the original id at
 * chosen positions and -100 elsewhere.
 *
 * With `wholeWordMask` (DataCollatorForWholeWordMask) whole words are chosen instead: a WordPiece
 * "##" continuation belongs to the word before it, words are visited in random order and taken
 * while the number of chosen tokens stays within round(length * mlmProbability).
 */
import { OptionError } from '../../errors.js';
import { Tensor, type Generator } from '../../tensor/index.js';
import type { Example } from '../data/example.js';
import { IGNORE_INDEX, padRows } from './padding.js';
import type { Batch, Collator } from './types.js';

export interface MaskedLMOptions {
  padTokenId: number;
  maskTokenId: number;
  /** Size of the vocabulary random replacements are drawn from (len(tokenizer)). */
  vocabSize: number;
  /** Ids that are never masked ([CLS], [SEP], [PAD], ...). */
  specialIds: Iterable<number>;
  mlmProbability?: number;
  wholeWordMask?: boolean;
  /** For whole-word masking: is this id a word continuation (e.g. a "##" WordPiece)? */
  isContinuation?: (id: number) => boolean;
  padToMultipleOf?: number;
}

export class MaskedLMCollator implements Collator {
  private readonly special: Set<number>;
  readonly mlmProbability: number;

  constructor(readonly options: MaskedLMOptions) {
    this.special = new Set(options.specialIds);
    this.special.add(options.padTokenId);
    this.mlmProbability = options.mlmProbability ?? 0.15;
    if (!(this.mlmProbability > 0 && this.mlmProbability < 1)) throw new OptionError(`mlmProbability must be in (0, 1), got ${this.mlmProbability}`);
    if (options.wholeWordMask && !options.isContinuation) throw new OptionError('whole-word masking needs isContinuation (which ids continue a word)');
  }

  collate(examples: readonly Example[], generator: Generator): Batch {
    const m = this.options.padToMultipleOf ?? 1;
    const inputIds = padRows(examples.map((e) => e.inputIds), this.options.padTokenId, m);
    const attentionMask = padRows(examples.map((e) => e.attentionMask ?? e.inputIds.map(() => 1)), 0, m);
    const [rows, width] = inputIds.shape;
    const ids = Int32Array.from(inputIds.contiguousData());
    const labels = new Int32Array(ids.length).fill(IGNORE_INDEX);
    const mask = attentionMask.contiguousData();
    for (let r = 0; r < rows; r++) {
      const row = ids.subarray(r * width, (r + 1) * width);
      const candidates = (i: number) => mask[r * width + i] === 1 && !this.special.has(row[i]);
      const chosen = this.options.wholeWordMask ? this.chooseWholeWords(row, candidates, generator) : this.chooseTokens(row, candidates, generator);
      for (const i of chosen) {
        labels[r * width + i] = row[i];
        this.corrupt(row, i, generator);
      }
    }
    return { inputIds: Tensor.fromArray(ids, [rows, width]), attentionMask, labels: Tensor.fromArray(labels, [rows, width]) };
  }

  /** Each candidate token independently with probability mlmProbability. */
  private chooseTokens(row: Int32Array, candidate: (i: number) => boolean, generator: Generator): number[] {
    const chosen: number[] = [];
    for (let i = 0; i < row.length; i++) {
      if (candidate(i) && generator.random() < this.mlmProbability) chosen.push(i);
    }
    return chosen;
  }

  /** Whole words in random order, while the number of masked tokens stays within the budget. */
  private chooseWholeWords(row: Int32Array, candidate: (i: number) => boolean, generator: Generator): number[] {
    const words: number[][] = [];
    let length = 0;
    for (let i = 0; i < row.length; i++) {
      if (!candidate(i)) continue;
      length++;
      if (words.length > 0 && this.options.isContinuation!(row[i]) && words[words.length - 1].at(-1) === i - 1) words[words.length - 1].push(i);
      else words.push([i]);
    }
    for (let i = words.length - 1; i > 0; i--) {
      const j = generator.randint(0, i + 1);
      [words[i], words[j]] = [words[j], words[i]];
    }
    const budget = Math.max(1, Math.round(length * this.mlmProbability));
    const chosen: number[] = [];
    for (const word of words) {
      if (chosen.length >= budget) break;
      if (chosen.length + word.length > budget) continue;
      chosen.push(...word);
    }
    return chosen.sort((a, b) => a - b);
  }

  /** 80% [MASK], 10% a random token, 10% unchanged. */
  private corrupt(row: Int32Array, i: number, generator: Generator): void {
    const u = generator.random();
    if (u < 0.8) row[i] = this.options.maskTokenId;
    else if (u < 0.9) row[i] = generator.randint(0, this.options.vocabSize);
  }
}
