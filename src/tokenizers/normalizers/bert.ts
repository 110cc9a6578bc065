import { AlignedBuilder, NormalizedString } from '../normalized-string.js';
import { isBertControl, isBertWhitespace, isChineseChar, isNonspacingMark } from '../unicode.js';
import type { Normalizer } from './normalizer.js';

export interface BertNormalizerOptions {
  cleanText?: boolean;
  handleChineseChars?: boolean;
  /** null (the default) means "same as lowercase". */
  stripAccents?: boolean | null;
  lowercase?: boolean;
}

/** Printable ASCII plus tab, newline and carriage return: text the fast path can handle 1:1. */
const SIMPLE_ASCII = /^[\x20-\x7e\t\n\r]*$/;
const ASCII_WHITESPACE = /[\t\n\r]/g;

function isSimpleAscii(cp: number): boolean {
  return (cp >= 0x20 && cp < 0x7f) || cp === 9 || cp === 10 || cp === 13;
}

/**
 * BERT's normalizer: drop control characters and map whitespace to spaces, put spaces around
 * CJK ideographs, strip accents (NFD, then drop nonspacing marks), lowercase (per character, as
 * Rust's `char::to_lowercase`, so a final capital sigma becomes σ, never ς).
 */
export class BertNormalizer implements Normalizer {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly stripAccents: boolean | null;
  readonly lowercase: boolean;

  constructor(options: BertNormalizerOptions = {}) {
    this.cleanText = options.cleanText ?? true;
    this.handleChineseChars = options.handleChineseChars ?? true;
    this.stripAccents = options.stripAccents ?? null;
    this.lowercase = options.lowercase ?? true;
  }

  private readonly replacements = new Map<number, string>();

  normalize(input: NormalizedString): NormalizedString {
    if (SIMPLE_ASCII.test(input.text)) {
      // Nothing to delete, insert or decompose: only case and whitespace change, one unit for one.
      return new NormalizedString(this.normalizeAscii(input.text), input.align, input.base);
    }
    // Runs of plain ASCII keep their alignment in bulk; other characters are replaced one by one.
    const text = input.text;
    const out = new AlignedBuilder(text.length);
    let run = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      if (!isSimpleAscii(cp)) {
        if (i > run) out.pushSlice(input, run, i, this.normalizeAscii(text.slice(run, i)));
        const r = this.replacement(cp);
        if (r.length > 0) out.push(r, input.start(i), input.end(i + n - 1));
        run = i + n;
      }
      i += n;
    }
    if (run < text.length) out.pushSlice(input, run, text.length, this.normalizeAscii(text.slice(run)));
    return out.build();
  }

  normalizeString(text: string): string {
    if (SIMPLE_ASCII.test(text)) return this.normalizeAscii(text);
    const parts: string[] = [];
    let run = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      if (!isSimpleAscii(cp)) {
        if (i > run) parts.push(this.normalizeAscii(text.slice(run, i)));
        parts.push(this.replacement(cp));
        run = i + n;
      }
      i += n;
    }
    if (run < text.length) parts.push(this.normalizeAscii(text.slice(run)));
    return parts.join('');
  }

  private normalizeAscii(text: string): string {
    if (this.lowercase) text = text.toLowerCase();
    return this.cleanText ? text.replace(ASCII_WHITESPACE, ' ') : text;
  }

  /** What one character becomes ('' when deleted); every step of this normalizer is per character. */
  private replacement(cp: number): string {
    let r = this.replacements.get(cp);
    if (r === undefined) {
      r = this.computeReplacement(cp);
      if (this.replacements.size < 100_000) this.replacements.set(cp, r);
    }
    return r;
  }

  private computeReplacement(cp: number): string {
    if (this.cleanText) {
      if (cp === 0 || cp === 0xfffd || isBertControl(cp)) return '';
      if (isBertWhitespace(cp)) cp = 32;
    }
    if (this.handleChineseChars && isChineseChar(cp)) return ' ' + String.fromCodePoint(cp) + ' ';
    let chars = String.fromCodePoint(cp);
    if ((this.stripAccents ?? this.lowercase) && cp >= 0x80) {
      let kept = '';
      for (const c of chars.normalize('NFD')) if (!isNonspacingMark(c.codePointAt(0)!)) kept += c;
      chars = kept;
    }
    if (this.lowercase) {
      // Lowercase each character alone: no context-dependent rules (final sigma).
      let lower = '';
      for (const c of chars) lower += c.toLowerCase();
      chars = lower;
    }
    return chars;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'BertNormalizer',
      clean_text: this.cleanText,
      handle_chinese_chars: this.handleChineseChars,
      strip_accents: this.stripAccents,
      lowercase: this.lowercase,
    };
  }
}
