/**
 * Tokenizers for BLEU.
 *
 * `tokenize13a` follows the "13a" tokenization of mteval-v13a.pl, which sacrebleu uses by default
 * (Post 2018, "A Call for Clarity in Reporting BLEU Scores"): the text is left as is except that
 *   1. "<skipped>" is removed, "-\n" joins lines, newlines become spaces, and the HTML entities
 *      &quot; &amp; &lt; &gt; are unescaped;
 *   2. every character in the ASCII ranges { | } ~, [ \ ] ^ _ `, space ! " # $ % &, ( ) * +,
 *      : ; < = > ? @ and / is set off by spaces;
 *   3. a period or comma is split from a preceding non-digit and from a following non-digit
 *      (so "3.14" and "1,000" stay whole, but "end." splits);
 *   4. a hyphen after a digit is split off ("1990-" -> "1990 -");
 *   5. runs of whitespace collapse and the tokens are the space-separated pieces.
 * Note the apostrophe (') and the hyphen between letters are not separated, as in 13a.
 *
 * `tokenizeChars` is for Japanese targets (no spaces between words): every character that is
 * not whitespace is one token, like sacrebleu's "char" tokenizer. Characters are code points,
 * so a character outside the BMP is one token.
 */

/** Step 1 and 2-4 of 13a, returning the tokens. */
export function tokenize13a(text: string): string[] {
  let s = text.replace(/<skipped>/g, '').replace(/-\n/g, '').replace(/\n/g, ' ');
  if (s.includes('&')) s = s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 ');
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2');
  s = s.replace(/([0-9])(-)/g, '$1 $2 ');
  return s.split(/\s+/).filter((t) => t !== '');
}

/** One token per non-whitespace character (code point). */
export function tokenizeChars(text: string): string[] {
  return Array.from(text).filter((c) => !/\s/u.test(c));
}

export type BleuTokenizer = '13a' | 'char';

export function tokenizerFor(name: BleuTokenizer): (text: string) => string[] {
  return name === 'char' ? tokenizeChars : tokenize13a;
}
