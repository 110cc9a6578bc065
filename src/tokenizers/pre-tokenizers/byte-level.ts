import { AlignedBuilder, NormalizedString } from '../normalized-string.js';
import { firstCharRange } from '../normalizers/simple.js';
import { BYTE_TO_CHAR } from '../unicode.js';
import { type PreTokenizer, type WordSink, forEachChunk } from './pre-tokenizer.js';

/**
 * GPT-2's split: contractions, letters, digits, other symbols (each optionally after one space),
 * and whitespace runs (leaving the last space to the next word). `\s` is written as the Unicode
 * White_Space property, as in the Rust regex engines that the reference uses.
 */
export const GPT2_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

const NEEDS_MAPPING = /[^\x21-\x7e]/;

/**
 * A place no GPT-2 word spans: after a non-space and one newline, before a non-space. (After a
 * longer whitespace run the regex's lookahead would see the cut.)
 */
const SAFE_CUT = /(?<=\P{White_Space}\n)(?=\P{White_Space})/gu;

function safeCut(text: string, from: number): number {
  SAFE_CUT.lastIndex = from;
  return SAFE_CUT.exec(text)?.index ?? -1;
}

/**
 * Byte-level pre-tokenizer: optional regex split, then every word is rewritten as its UTF-8
 * bytes, one printable character per byte (BYTE_TO_CHAR). All the byte characters of one source
 * character point at that whole character.
 */
export class ByteLevel implements PreTokenizer {
  constructor(
    readonly addPrefixSpace = false,
    readonly useRegex = true,
    readonly trimOffsets = true,
  ) {}

  preTokenize(input: NormalizedString): NormalizedString[] {
    if (this.addPrefixSpace && input.length > 0 && !input.text.startsWith(' ')) {
      const out = new AlignedBuilder();
      out.push(' ', ...firstCharRange(input));
      for (let i = 0; i < input.length; i++) out.push(input.text[i], input.start(i), input.end(i));
      input = out.build();
    }
    const words: NormalizedString[] = [];
    if (!this.useRegex) {
      if (input.length > 0) words.push(toByteLevel(input));
      return words;
    }
    const text = input.text;
    const re = new RegExp(GPT2_PATTERN);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      words.push(toByteLevel(input.slice(m.index, m.index + m[0].length)));
    }
    return words;
  }

  splitWords(text: string, emit: WordSink): void {
    if (this.addPrefixSpace && text.length > 0 && !text.startsWith(' ')) text = ' ' + text;
    if (!this.useRegex) {
      if (text.length > 0) emit([text]);
      return;
    }
    forEachChunk(text, safeCut, (chunk) => emit(chunk.match(GPT2_PATTERN) ?? []));
  }

  rewriteWord(word: string): string {
    return toByteLevelString(word);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}

const encoder = new TextEncoder();

/** The byte characters of a word (fast path, no alignment). */
export function toByteLevelString(word: string): string {
  if (!NEEDS_MAPPING.test(word)) return word;
  if (word.length > 1 && word.charCodeAt(0) === 32 && !NEEDS_MAPPING.test(word.slice(1))) return '\u0120' + word.slice(1);
  let mapped = '';
  for (const b of encoder.encode(word)) mapped += BYTE_TO_CHAR[b];
  return mapped;
}

/** The word as byte characters. */
export function toByteLevel(word: NormalizedString): NormalizedString {
  const text = word.text;
  if (!NEEDS_MAPPING.test(text)) return word;
  let ascii = true;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) {
    let mapped = '';
    for (let i = 0; i < text.length; i++) mapped += BYTE_TO_CHAR[text.charCodeAt(i)];
    return new NormalizedString(mapped, word.align, word.base);
  }
  const out = new AlignedBuilder();
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    const start = word.start(i);
    const end = word.end(i + n - 1);
    let chars = '';
    for (const b of encoder.encode(text.slice(i, i + n))) chars += BYTE_TO_CHAR[b];
    out.push(chars, start, end);
    i += n;
  }
  return out.build();
}

