import type { NormalizedString } from '../normalized-string.js';
import type { PreTokenizer } from './pre-tokenizer.js';

/** Runs pre-tokenizers in turn, each on every word of the previous one. */
export class SequencePreTokenizer implements PreTokenizer {
  constructor(readonly preTokenizers: PreTokenizer[]) {}

  preTokenize(input: NormalizedString): NormalizedString[] {
    let words = [input];
    for (const p of this.preTokenizers) words = words.flatMap((w) => p.preTokenize(w));
    return words;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', pretokenizers: this.preTokenizers.map((p) => p.toJSON()) };
  }
}
