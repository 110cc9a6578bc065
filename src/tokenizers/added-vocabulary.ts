import { escapeRegex } from './normalizers/simple.js';
import type { Normalizer } from './normalizers/normalizer.js';
import { NormalizedString } from './normalized-string.js';

/** A token matched in raw text before the model runs ([MASK], <|endoftext|>, <extra_id_0>, ...). */
export interface AddedToken {
  id: number;
  content: string;
  /** Only match when not inside a word. */
  singleWord: boolean;
  /** Swallow whitespace on the left / right of the match. */
  lstrip: boolean;
  rstrip: boolean;
  /** Match in normalized text (true) or in the raw text (false). */
  normalized: boolean;
  /** Dropped by decode(..., { skipSpecialTokens: true }). */
  special: boolean;
}

export function addedToken(id: number, content: string, special: boolean, more: Partial<AddedToken> = {}): AddedToken {
  return { id, content, singleWord: false, lstrip: false, rstrip: false, normalized: !special, special, ...more };
}

/** A stretch of text: either plain text [start, end) or an added token there. */
export interface Segment {
  start: number;
  end: number;
  token: AddedToken | null;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const SPACE = /\p{White_Space}/u;

/** Finds added tokens in text, leftmost-longest, as tokenizers' AddedVocabulary does. */
class TokenMatcher {
  private readonly regex: RegExp | null;
  private readonly byContent = new Map<string, AddedToken>();

  constructor(tokens: AddedToken[], contentOf: (t: AddedToken) => string) {
    for (const t of tokens) {
      const content = contentOf(t);
      if (content.length > 0) this.byContent.set(content, t);
    }
    // Longest first, so that alternation prefers the longest token at the leftmost position.
    const contents = [...this.byContent.keys()].sort((a, b) => b.length - a.length);
    this.regex = contents.length ? new RegExp(contents.map(escapeRegex).join('|'), 'gu') : null;
  }

  split(text: string): Segment[] {
    if (this.regex === null || text.length === 0) return [{ start: 0, end: text.length, token: null }];
    const segments: Segment[] = [];
    let last = 0;
    const re = this.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const token = this.byContent.get(m[0])!;
      let start = m.index;
      let end = start + m[0].length;
      if (token.singleWord) {
        const before = start > 0 && WORD_CHAR.test(String.fromCodePoint(text.codePointAt(start - 1)!));
        const after = end < text.length && WORD_CHAR.test(String.fromCodePoint(text.codePointAt(end)!));
        if (before || after) {
          re.lastIndex = start + 1;
          continue;
        }
      }
      if (token.lstrip) while (start > last && SPACE.test(text[start - 1])) start--;
      if (token.rstrip) while (end < text.length && SPACE.test(text[end])) end++;
      if (start > last) segments.push({ start: last, end: start, token: null });
      segments.push({ start, end, token });
      last = end;
      re.lastIndex = end;
    }
    if (last < text.length) segments.push({ start: last, end: text.length, token: null });
    return segments;
  }
}

/** The added tokens of a tokenizer: ids outside (or overriding) the model vocabulary. */
export class AddedVocabulary {
  private readonly tokens: AddedToken[] = [];
  private readonly byId = new Map<number, AddedToken>();
  private readonly byContent = new Map<string, AddedToken>();
  private rawMatcher: TokenMatcher | null = null;
  private normalizedMatcher: TokenMatcher | null = null;

  constructor(private normalizer: Normalizer | null) {}

  add(token: AddedToken): void {
    const old = this.byContent.get(token.content);
    if (old !== undefined) this.tokens.splice(this.tokens.indexOf(old), 1);
    this.tokens.push(token);
    this.byId.set(token.id, token);
    this.byContent.set(token.content, token);
    this.rawMatcher = this.normalizedMatcher = null;
  }

  setNormalizer(normalizer: Normalizer | null): void {
    this.normalizer = normalizer;
    this.normalizedMatcher = null;
    this.normalizedContent.clear();
  }

  all(): readonly AddedToken[] {
    return this.tokens;
  }

  get size(): number {
    return this.tokens.length;
  }

  byIdOf(id: number): AddedToken | undefined {
    return this.byId.get(id);
  }

  /** The added token with this content (or whose normalized content this is). */
  byContentOf(content: string): AddedToken | undefined {
    return this.byContent.get(content) ?? this.tokens.find((t) => t.normalized && this.tokenString(t) === content);
  }

  /**
   * The token's string in encodings and decodes: a token matched in normalized text reads as
   * its normalized content (tokenizers shows "<n>" for a normalized "<N>" after lowercasing).
   */
  tokenString(token: AddedToken): string {
    if (!token.normalized || this.normalizer === null) return token.content;
    let s = this.normalizedContent.get(token.content);
    if (s === undefined) {
      s = this.normalizer.normalizeString(token.content);
      this.normalizedContent.set(token.content, s);
    }
    return s;
  }

  private readonly normalizedContent = new Map<string, string>();

  isSpecialId(id: number): boolean {
    return this.byId.get(id)?.special ?? false;
  }

  /** Splits raw text on the tokens with normalized === false. */
  splitRaw(text: string): Segment[] {
    this.rawMatcher ??= new TokenMatcher(
      this.tokens.filter((t) => !t.normalized),
      (t) => t.content,
    );
    return this.rawMatcher.split(text);
  }

  /** Splits normalized text on the tokens with normalized === true (their content normalized too). */
  splitNormalized(text: string): Segment[] {
    this.normalizedMatcher ??= new TokenMatcher(
      this.tokens.filter((t) => t.normalized),
      (t) => (this.normalizer ? this.normalizer.normalize(NormalizedString.identity(t.content)).text : t.content),
    );
    return this.normalizedMatcher.split(text);
  }

  toJSON(): Record<string, unknown>[] {
    return [...this.tokens]
      .sort((a, b) => a.id - b.id)
      .map((t) => ({
        id: t.id,
        content: t.content,
        single_word: t.singleWord,
        lstrip: t.lstrip,
        rstrip: t.rstrip,
        normalized: t.normalized,
        special: t.special,
      }));
  }
}
