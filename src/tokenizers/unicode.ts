/**
 * Character classes used by the normalizers and pre-tokenizers, defined as Hugging Face
 * tokenizers (Rust) defines them, so that splits and deletions land on the same characters.
 */

/** Rust's `char::is_whitespace`: the Unicode White_Space property. */
export const WHITE_SPACE = /\p{White_Space}/u;

/** BERT's whitespace: tab, newline, carriage return, or any White_Space character. */
export function isBertWhitespace(cp: number): boolean {
  if (cp < 128) return cp === 32 || cp === 9 || cp === 10 || cp === 13 || cp === 11 || cp === 12;
  return WHITE_SPACE.test(String.fromCodePoint(cp));
}

const OTHER = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;

/** BERT's control characters: Unicode category C* except tab, newline and carriage return. */
export function isBertControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  if (cp < 128) return cp < 32 || cp === 127;
  return OTHER.test(String.fromCodePoint(cp));
}

const PUNCT = /\p{P}/u;

/** BERT's punctuation: ASCII punctuation (which includes symbols like `$` and `^`) or Unicode P*. */
export function isBertPunctuation(cp: number): boolean {
  if (cp < 128) {
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
  }
  return PUNCT.test(String.fromCodePoint(cp));
}

/** The CJK Unified Ideograph blocks that BERT surrounds with spaces. */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

const NONSPACING_MARK = /\p{Mn}/u;

export function isNonspacingMark(cp: number): boolean {
  return cp >= 0x300 && NONSPACING_MARK.test(String.fromCodePoint(cp));
}

/** Replaces lone surrogates by U+FFFD, as the Rust tokenizers see JavaScript strings (same length). */
export function wellFormed(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

/**
 * GPT-2's byte-to-character table: printable Latin-1 bytes map to themselves, the other 68 bytes
 * to U+0100 onwards, so that every byte string becomes a printable string.
 */
export const BYTE_TO_CHAR: string[] = (() => {
  const table: string[] = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : next++);
  }
  return table;
})();

/** The inverse of BYTE_TO_CHAR, indexed by char code (-1 where the char is no byte). */
export const CHAR_TO_BYTE: Int16Array = (() => {
  const table = new Int16Array(512).fill(-1);
  BYTE_TO_CHAR.forEach((ch, b) => (table[ch.charCodeAt(0)] = b));
  return table;
})();
