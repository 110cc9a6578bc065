/**
 * Turning a growing list of token ids into text deltas for streaming, without ever splitting
 * a character. Decoding one token at a time does not work: a byte-level BPE token can hold
 * half of a UTF-8 character (the decoder then yields U+FFFD), and SentencePiece drops a
 * leading space from the first token it decodes. So each step decodes a short window twice:
 * the tokens already shown (from an earlier offset, for context) and the same plus the new
 * ones; the new text is the difference. While it ends with U+FFFD (an incomplete character)
 * nothing is shown and the tokens wait for the next step.
 */
import type { TokenizerLike } from './configuration.js';

const REPLACEMENT = '\uFFFD';

export class TextDeltaDecoder {
  private readonly ids: number[] = [];
  /** Start of the context window. */
  private prefixOffset = 0;
  /** Tokens before this one have been shown. */
  private readOffset = 0;

  constructor(readonly tokenizer: TokenizerLike, readonly skipSpecialTokens = true) {}

  /** Adds a token and returns the text it completes ('' while a character is incomplete). */
  push(tokenId: number): string {
    this.ids.push(tokenId);
    return this.delta(false);
  }

  /** The text still held back (at the end of generation), even if incomplete. */
  flush(): string {
    return this.delta(true);
  }

  private delta(force: boolean): string {
    if (this.readOffset >= this.ids.length) return '';
    const opts = { skipSpecialTokens: this.skipSpecialTokens };
    const shown = this.tokenizer.decode(this.ids.slice(this.prefixOffset, this.readOffset), opts);
    const all = this.tokenizer.decode(this.ids.slice(this.prefixOffset), opts);
    if (!force && (all.length <= shown.length || all.endsWith(REPLACEMENT))) {
      // a special token decodes to '' when skipped: it is shown (as nothing) right away
      if (all === shown && !all.endsWith(REPLACEMENT)) this.advance();
      return '';
    }
    this.advance();
    return all.startsWith(shown) ? all.slice(shown.length) : all.slice(commonPrefix(shown, all));
  }

  private advance(): void {
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
