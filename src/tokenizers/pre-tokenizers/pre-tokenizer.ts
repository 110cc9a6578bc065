import { NormalizedString } from '../normalized-string.js';

/** Second stage: cuts normalized text into words (and may rewrite them, e.g. bytes to characters). */
export interface PreTokenizer {
  /** `atStart`: the text begins the input (only Metaspace's prepend scheme "first" cares). */
  preTokenize(input: NormalizedString, atStart?: boolean): NormalizedString[];
  /**
   * The ids-only fast path: passes the words of `text` to `emit` (in batches, so that a huge text
   * never becomes one huge array) as the model will see them,
   * except for a per-word rewrite left to rewriteWord (so that callers can cache by raw word).
   * `atStart`: the text begins the input (Metaspace's prepend scheme "first").
   */
  splitWords(text: string, emit: WordSink, atStart?: boolean): void;
  /** The per-word rewrite of the fast path (ByteLevel: bytes to characters); identity if absent. */
  rewriteWord?(word: string): string;
  toJSON(): Record<string, unknown>;
}

/** Cuts `input` at the [start, end) ranges given, dropping what is between them. */
export function sliceRanges(input: NormalizedString, ranges: number[], out: NormalizedString[]): void {
  for (let k = 0; k < ranges.length; k += 2) {
    if (ranges[k + 1] > ranges[k]) out.push(input.slice(ranges[k], ranges[k + 1]));
  }
}

/** Receives the words of the fast path, a batch at a time. */
export type WordSink = (words: string[]) => void;

/** splitWords through the full path, for pre-tokenizers without a faster one. */
export function splitWordsViaPreTokenize(p: PreTokenizer, text: string, emit: WordSink, atStart = true): void {
  emit(p.preTokenize(NormalizedString.identity(text), atStart).map((w) => w.text));
}

const CHUNK = 1 << 16;

/**
 * Cuts a long text into pieces of about 64K units at positions no word spans (found by
 * `boundary(text, from)`: the first such position >= from, or -1), so that the fast path works
 * on short-lived arrays.
 */
export function forEachChunk(text: string, boundary: (text: string, from: number) => number, fn: (chunk: string) => void): void {
  let start = 0;
  while (text.length - start > 2 * CHUNK) {
    const cut = boundary(text, start + CHUNK);
    if (cut <= start || cut >= text.length) break;
    fn(text.slice(start, cut));
    start = cut;
  }
  fn(start === 0 ? text : text.slice(start));
}
