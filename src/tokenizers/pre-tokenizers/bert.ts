import type { NormalizedString } from '../normalized-string.js';
import { isBertPunctuation, isBertWhitespace } from '../unicode.js';
import { type PreTokenizer, type WordSink, forEachChunk, sliceRanges, splitWordsViaPreTokenize } from './pre-tokenizer.js';

const SPACE = /\p{White_Space}/gu;

/** Whitespace separates words in BERT's split: any whitespace is a safe place to cut. */
function nextSpace(text: string, from: number): number {
  SPACE.lastIndex = from;
  return SPACE.exec(text)?.index ?? -1;
}

function emitWords(text: string, punctuationSplits: boolean, emit: WordSink): void {
  forEachChunk(text, nextSpace, (chunk) => {
    const ranges = bertWordRanges(chunk, punctuationSplits);
    const words: string[] = new Array(ranges.length / 2);
    for (let k = 0; k < ranges.length; k += 2) words[k / 2] = chunk.slice(ranges[k], ranges[k + 1]);
    emit(words);
  });
}

/** Character classes of ASCII for the BERT split: 0 word, 1 whitespace, 2 punctuation. */
const ASCII_CLASS = new Uint8Array(128).map((_, c) => (isBertWhitespace(c) ? 1 : isBertPunctuation(c) ? 2 : 0));

function classOf(cp: number): number {
  if (cp < 128) return ASCII_CLASS[cp];
  return isBertWhitespace(cp) ? 1 : isBertPunctuation(cp) ? 2 : 0;
}

/** BERT's pre-tokenizer: split on whitespace (dropped) and punctuation (each mark its own word). */
export class BertPreTokenizer implements PreTokenizer {
  preTokenize(input: NormalizedString): NormalizedString[] {
    const words: NormalizedString[] = [];
    sliceRanges(input, bertWordRanges(input.text), words);
    return words;
  }

  splitWords(text: string, emit: WordSink): void {
    emitWords(text, true, emit);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'BertPreTokenizer' };
  }
}

/** Flat [start, end, start, end, ...] of BERT's words in `text`. */
export function bertWordRanges(text: string, punctuationSplits = true): number[] {
  const ranges: number[] = [];
  let start = -1;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    const cls = classOf(cp);
    if (cls === 0 || (cls === 2 && !punctuationSplits)) {
      if (start < 0) start = i;
    } else {
      if (start >= 0) ranges.push(start, i);
      start = -1;
      if (cls === 2) ranges.push(i, i + n);
    }
    i += n;
  }
  if (start >= 0) ranges.push(start, text.length);
  return ranges;
}

/** Splits on whitespace only (tokenizers' WhitespaceSplit). */
export class WhitespaceSplit implements PreTokenizer {
  preTokenize(input: NormalizedString): NormalizedString[] {
    const words: NormalizedString[] = [];
    sliceRanges(input, bertWordRanges(input.text, false), words);
    return words;
  }

  splitWords(text: string, emit: WordSink): void {
    emitWords(text, false, emit);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'WhitespaceSplit' };
  }
}

/** Each punctuation character becomes its own word (tokenizers' Punctuation, behavior "isolated"). */
export class Punctuation implements PreTokenizer {
  preTokenize(input: NormalizedString): NormalizedString[] {
    const ranges: number[] = [];
    const text = input.text;
    let start = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      if (isBertPunctuation(cp)) {
        ranges.push(start, i, i, i + n);
        start = i + n;
      }
      i += n;
    }
    ranges.push(start, text.length);
    const words: NormalizedString[] = [];
    sliceRanges(input, ranges, words);
    return words;
  }

  splitWords(text: string, emit: WordSink): void {
    splitWordsViaPreTokenize(this, text, emit);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Punctuation', behavior: 'Isolated' };
  }
}

/** `\w+|[^\w\s]+` with the Unicode \w of Rust's regex (alphabetic, marks, decimal digits, connectors, joiners). */
const WORD_OR_SYMBOLS = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d\p{White_Space}]+/gu;

/** Words of `\w+` and runs of other non-space characters (tokenizers' Whitespace). */
export class Whitespace implements PreTokenizer {
  preTokenize(input: NormalizedString): NormalizedString[] {
    const words: NormalizedString[] = [];
    for (const m of input.text.matchAll(WORD_OR_SYMBOLS)) words.push(input.slice(m.index, m.index + m[0].length));
    return words;
  }

  splitWords(text: string, emit: WordSink): void {
    emit(text.match(WORD_OR_SYMBOLS) ?? []);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Whitespace' };
  }
}
