import { AlignedBuilder, NormalizedString } from '../normalized-string.js';
import { appendAll, escapeRegex, firstCharRange } from '../normalizers/simple.js';
import { type PreTokenizer, type WordSink, forEachChunk } from './pre-tokenizer.js';

export type PrependScheme = 'always' | 'first' | 'never';

/**
 * SentencePiece's view of spaces: every space becomes `replacement` (▁), a ▁ is put in front of
 * the text (per prependScheme), and with `split` each ▁ starts a new word.
 */
export class Metaspace implements PreTokenizer {
  constructor(
    readonly replacement = '\u2581',
    readonly prependScheme: PrependScheme = 'always',
    readonly split = true,
  ) {
    this.separator = new RegExp(` |${escapeRegex(replacement)}`, 'gu');
  }

  preTokenize(input: NormalizedString, atStart = true): NormalizedString[] {
    if (input.length === 0) return [];
    let text = input.text.replaceAll(' ', this.replacement);
    let word = new NormalizedString(text, input.align, input.base);
    const prepend =
      this.prependScheme === 'always' || (this.prependScheme === 'first' && atStart);
    if (prepend && !text.startsWith(this.replacement)) {
      const out = new AlignedBuilder();
      out.push(this.replacement, ...firstCharRange(word));
      appendAll(out, word, 0, word.length);
      word = out.build();
      text = word.text;
    }
    if (!this.split) return [word];
    const words: NormalizedString[] = [];
    let start = 0;
    for (let i = text.indexOf(this.replacement, 1); i >= 0; i = text.indexOf(this.replacement, i + 1)) {
      if (i > start) words.push(word.slice(start, i));
      start = i;
    }
    words.push(word.slice(start, text.length));
    return words;
  }

  splitWords(text: string, emit: WordSink, atStart = true): void {
    if (text.length === 0) return;
    const r = this.replacement;
    const prepend = (this.prependScheme === 'always' || (this.prependScheme === 'first' && atStart)) && !(text.startsWith(' ') || text.startsWith(r));
    if (!this.split) {
      emit([(prepend ? r : '') + text.replaceAll(' ', r)]);
      return;
    }
    // Every space or replacement character starts a word, so each is a safe place to cut; the
    // replacement is done per chunk to keep the strings short-lived.
    let first = true;
    forEachChunk(text, (t, from) => this.nextSeparator(t, from), (raw) => {
      const chunk = (first && prepend ? r : '') + raw.replaceAll(' ', r);
      first = false;
      const words: string[] = [];
      let start = 0;
      for (let i = chunk.indexOf(r, 1); i >= 0; i = chunk.indexOf(r, i + 1)) {
        if (i > start) words.push(chunk.slice(start, i));
        start = i;
      }
      words.push(chunk.slice(start));
      emit(words);
    });
  }

  /** Position of the first space or replacement character at or after `from`, or -1. */
  private nextSeparator(text: string, from: number): number {
    this.separator.lastIndex = from;
    return this.separator.exec(text)?.index ?? -1;
  }

  private readonly separator: RegExp;

  toJSON(): Record<string, unknown> {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
