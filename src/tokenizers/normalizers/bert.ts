import { NormalizedString } from '../normalized-string.js';
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

  normalize(input: NormalizedString): NormalizedString {
    const strip = this.stripAccents ?? this.lowercase;
    if (SIMPLE_ASCII.test(input.text)) {
      // Nothing to delete, insert or decompose: only case and whitespace change, one unit for one.
      let text = this.lowercase ? input.text.toLowerCase() : input.text;
      if (this.cleanText) text = text.replace(ASCII_WHITESPACE, ' ');
      return new NormalizedString(text, input.align, input.base);
    }
    return input.map((cp, start, end, out) => {
      if (this.cleanText) {
        if (cp === 0 || cp === 0xfffd || isBertControl(cp)) return;
        if (isBertWhitespace(cp)) cp = 32;
      }
      if (this.handleChineseChars && isChineseChar(cp)) {
        out.push(' ' + String.fromCodePoint(cp) + ' ', start, end);
        return;
      }
      let chars = String.fromCodePoint(cp);
      if (strip && cp >= 0x80) {
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
      if (chars.length > 0) out.push(chars, start, end);
    });
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
