import type { NormalizedString } from '../normalized-string.js';
import { type PreTokenizer, type WordSink, splitWordsViaPreTokenize } from './pre-tokenizer.js';

/** Runs pre-tokenizers in turn, each on every word of the previous one. */
export class SequencePreTokenizer implements PreTokenizer {
  constructor(readonly preTokenizers: PreTokenizer[]) {}

  preTokenize(input: NormalizedString, atStart = true): NormalizedString[] {
    let words = [input];
    for (const p of this.preTokenizers) words = words.flatMap((w, i) => p.preTokenize(w, atStart && i === 0));
    return words;
  }

  splitWords(text: string, emit: WordSink, atStart = true): void {
    splitWordsViaPreTokenize(this, text, emit, atStart);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', pretokenizers: this.preTokenizers.map((p) => p.toJSON()) };
  }
}
