/**
 * Turning a growing list of token ids into text deltas for streaming, without ever splitting
 * a character. Decoding one token at a time does not work: a byte-level BPE token can hold
 * half of a UTF-8 character (the decoder then yields U+FFFD), and SentencePiece drops the
 * leading space of the first token it decodes. So each step decodes a window of the tokens
 * (from the first one, or from a later start known to decode to the end of the text already
 * shown) and shows what it adds; while the text ends with U+FFFD (an incomplete character)
 * nothing is shown and the tokens wait for the next step.
 */
import type { TokenizerLike } from './configuration.js';

const REPLACEMENT = '\uFFFD';
/** Past this many tokens in the window, try to start it later (keeps each decode short). */
const MAX_WINDOW = 128;
const KEEP_CONTEXT = 32;

export class TextDeltaDecoder {
  private readonly ids: number[] = [];
  /** First token of the decoding window. */
  private start = 0;
  /** The text shown so far for the tokens from `start` on. */
  private shown = '';

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

  private decode(from: number): string {
    return this.tokenizer.decode(this.ids.slice(from), { skipSpecialTokens: this.skipSpecialTokens });
  }

  private delta(force: boolean): string {
    const text = this.decode(this.start);
    if (!force && text.endsWith(REPLACEMENT)) return '';
    // a decoder may rewrite earlier text (never in practice for byte-level BPE); what was shown stays shown
    const added = text.startsWith(this.shown) ? text.slice(this.shown.length) : text.slice(commonPrefix(this.shown, text));
    this.shown = text;
    this.rebase();
    return added;
  }

  /** Moves the window start forward when the tokens from there decode to the end of the shown text. */
  private rebase(): void {
    if (this.ids.length - this.start <= MAX_WINDOW) return;
    const from = this.ids.length - KEEP_CONTEXT;
    const tail = this.decode(from);
    if (tail.length > 0 && !tail.endsWith(REPLACEMENT) && this.shown.endsWith(tail)) {
      this.start = from;
      this.shown = tail;
    }
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
