import { CHAR_TO_BYTE } from './unicode.js';
import type { PrependScheme } from './pre-tokenizers/metaspace.js';

/** Turns token strings back into text. */
export interface Decoder {
  /** Token strings in, pieces out (joined with "" by decode). */
  decodeChain(tokens: string[]): string[];
  toJSON(): Record<string, unknown>;
}

/** BERT: glue "##" pieces to the previous token, put spaces between words, clean up punctuation spacing. */
export class WordPieceDecoder implements Decoder {
  constructor(
    readonly prefix = '##',
    readonly cleanup = true,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => {
      if (i !== 0) token = token.startsWith(this.prefix) ? token.slice(this.prefix.length) : ' ' + token;
      return this.cleanup ? cleanupTokenization(token) : token;
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'WordPiece', prefix: this.prefix, cleanup: this.cleanup };
  }
}

/** transformers' clean_up_tokenization: removes spaces before punctuation and in contractions. */
export function cleanupTokenizationSpaces(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/** The WordPiece decoder's per-token cleanup (tokenizers): the above, and " do not" -> " don't". */
export function cleanupTokenization(text: string): string {
  return cleanupTokenizationSpaces(text).replaceAll(' do not', " don't");
}

// ignoreBOM: a leading U+FEFF is text like any other (TextDecoder would drop it).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** GPT-2: byte characters back to bytes, then UTF-8 with U+FFFD for each invalid sequence. */
export class ByteLevelDecoder implements Decoder {
  constructor(private readonly json: Record<string, unknown> = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true }) {}

  decodeChain(tokens: string[]): string[] {
    const joined = tokens.join('');
    const bytes = new Uint8Array(joined.length * 3);
    let n = 0;
    for (const ch of joined) {
      const c = ch.charCodeAt(0);
      const b = ch.length === 1 && c < 512 ? CHAR_TO_BYTE[c] : -1;
      if (b >= 0) bytes[n++] = b;
      else n += new TextEncoder().encodeInto(ch, bytes.subarray(n)).written;
    }
    return [utf8.decode(bytes.subarray(0, n))];
  }

  toJSON(): Record<string, unknown> {
    return this.json;
  }
}

/** SentencePiece: ▁ back to spaces; the first token loses the space the pre-tokenizer prepended. */
export class MetaspaceDecoder implements Decoder {
  constructor(
    readonly replacement = '\u2581',
    readonly prependScheme: PrependScheme = 'always',
    readonly split = true,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((token, i) => token.replaceAll(this.replacement, i === 0 && this.prependScheme !== 'never' ? '' : ' '));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}

/** Replaces a literal string in every token. */
export class ReplaceDecoder implements Decoder {
  constructor(
    readonly pattern: string,
    readonly content: string,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => t.replaceAll(this.pattern, this.content));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Replace', pattern: { String: this.pattern }, content: this.content };
  }
}

/** <0xXX> tokens back to bytes (SentencePiece byte fallback). */
export class ByteFallbackDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let bytes: number[] = [];
    const flush = (): void => {
      if (bytes.length) out.push(utf8.decode(Uint8Array.from(bytes)));
      bytes = [];
    };
    for (const t of tokens) {
      const m = /^<0x([0-9A-F]{2})>$/.exec(t);
      if (m) bytes.push(parseInt(m[1], 16));
      else {
        flush();
        out.push(t);
      }
    }
    flush();
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'ByteFallback' };
  }
}

export class FuseDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join('')];
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Fuse' };
  }
}

/** Removes `start` leading and `stop` trailing occurrences of `content` from each token. */
export class StripDecoder implements Decoder {
  constructor(
    readonly content: string,
    readonly start: number,
    readonly stop: number,
  ) {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => {
      for (let i = 0; i < this.start && t.startsWith(this.content); i++) t = t.slice(this.content.length);
      for (let i = 0; i < this.stop && t.endsWith(this.content); i++) t = t.slice(0, t.length - this.content.length);
      return t;
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Strip', content: this.content, start: this.start, stop: this.stop };
  }
}

/** BPE with an end-of-word suffix: the suffix becomes a space. */
export class BPEDecoder implements Decoder {
  constructor(readonly suffix = '</w>') {}

  decodeChain(tokens: string[]): string[] {
    return tokens.map((t, i) => t.replaceAll(this.suffix, i === tokens.length - 1 ? '' : ' '));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'BPEDecoder', suffix: this.suffix };
  }
}

export class SequenceDecoder implements Decoder {
  constructor(readonly decoders: Decoder[]) {}

  decodeChain(tokens: string[]): string[] {
    for (const d of this.decoders) tokens = d.decodeChain(tokens);
    return tokens;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', decoders: this.decoders.map((d) => d.toJSON()) };
  }
}
