import { AlignedBuilder, NormalizedString } from '../normalized-string.js';
import { isNonspacingMark } from '../unicode.js';
import type { Normalizer } from './normalizer.js';

/**
 * Emits `replacement` for the original characters `sources` (each [start, end)): output character
 * k points at source min(k, last), the way tokenizers aligns a many-to-many replacement.
 */
export function pushReplacement(out: AlignedBuilder, replacement: string, sources: number[]): void {
  const last = sources.length / 2 - 1;
  let k = 0;
  for (const c of replacement) {
    const j = Math.min(k, last);
    out.push(c, sources[2 * j], sources[2 * j + 1]);
    k++;
  }
}

const COMBINING = /\p{M}/u;

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** Unicode normalization forms, applied to each base character with its combining marks. */
export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}

  normalize(input: NormalizedString): NormalizedString {
    const text = input.text;
    if (text.normalize(this.form) === text) return input;
    const out = new AlignedBuilder();
    // Cluster = one character plus the combining marks after it; normalized as a whole.
    let i = 0;
    while (i < text.length) {
      let j = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
      while (j < text.length && COMBINING.test(String.fromCodePoint(text.codePointAt(j)!))) {
        j += text.codePointAt(j)! > 0xffff ? 2 : 1;
      }
      const cluster = text.slice(i, j);
      const sources: number[] = [];
      for (let k = i; k < j; ) {
        const n = text.codePointAt(k)! > 0xffff ? 2 : 1;
        sources.push(input.start(k), input.end(k + n - 1));
        k += n;
      }
      const normalized = cluster.normalize(this.form);
      if (normalized === cluster) {
        for (let k = 0, u = 0; k < sources.length; k += 2) {
          const n = text.codePointAt(i + u)! > 0xffff ? 2 : 1;
          out.push(text.slice(i + u, i + u + n), sources[k], sources[k + 1]);
          u += n;
        }
      } else {
        pushReplacement(out, normalized, sources);
      }
      i = j;
    }
    return out.build();
  }

  normalizeString(text: string): string {
    return text.normalize(this.form) === text ? text : this.normalize(NormalizedString.identity(text)).text;
  }

  toJSON(): Record<string, unknown> {
    return { type: this.form };
  }
}

export class Lowercase implements Normalizer {
  normalize(input: NormalizedString): NormalizedString {
    const lower = input.text.toLowerCase();
    if (lower.length === input.length && /^[\x00-\x7f]*$/.test(input.text)) {
      return new NormalizedString(lower, input.align, input.base);
    }
    return input.map((cp, start, end, out) => out.push(String.fromCodePoint(cp).toLowerCase(), start, end));
  }

  normalizeString(text: string): string {
    return this.normalize(NormalizedString.identity(text)).text;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Lowercase' };
  }
}

/** Drops nonspacing marks (meant to follow NFD/NFKD). */
export class StripAccents implements Normalizer {
  normalize(input: NormalizedString): NormalizedString {
    return input.map((cp, start, end, out) => {
      if (!isNonspacingMark(cp)) out.pushCodePoint(cp, start, end);
    });
  }

  normalizeString(text: string): string {
    return this.normalize(NormalizedString.identity(text)).text;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'StripAccents' };
  }
}

const LEADING_SPACE = /^\p{White_Space}+/u;
const TRAILING_SPACE = /\p{White_Space}+$/u;

/** Removes whitespace at the start and/or end. */
export class Strip implements Normalizer {
  constructor(
    readonly left: boolean,
    readonly right: boolean,
  ) {}

  normalize(input: NormalizedString): NormalizedString {
    let a = 0;
    let b = input.length;
    if (this.left) a = LEADING_SPACE.exec(input.text)?.[0].length ?? 0;
    if (this.right && b > a) b -= TRAILING_SPACE.exec(input.text)?.[0].length ?? 0;
    return a === 0 && b === input.length ? input : input.slice(a, Math.max(a, b));
  }

  normalizeString(text: string): string {
    let a = 0;
    let b = text.length;
    if (this.left) a = LEADING_SPACE.exec(text)?.[0].length ?? 0;
    if (this.right && b > a) b -= TRAILING_SPACE.exec(text)?.[0].length ?? 0;
    return a === 0 && b === text.length ? text : text.slice(a, Math.max(a, b));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Strip', strip_left: this.left, strip_right: this.right };
  }
}

/** Adds a prefix to non-empty text; the prefix points at the first character. */
export class Prepend implements Normalizer {
  constructor(readonly prepend: string) {}

  normalize(input: NormalizedString): NormalizedString {
    if (input.length === 0) return input;
    const out = new AlignedBuilder();
    out.push(this.prepend, input.start(0), input.end(0));
    appendAll(out, input, 0, input.length);
    return out.build();
  }

  normalizeString(text: string): string {
    return text.length === 0 ? text : this.prepend + text;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Prepend', prepend: this.prepend };
  }
}

/** Copies units [a, b) of `from` with their alignment. */
export function appendAll(out: AlignedBuilder, from: NormalizedString, a: number, b: number): void {
  for (let i = a; i < b; i++) out.push(from.text[i], from.start(i), from.end(i));
}

export type ReplacePattern = { String: string } | { Regex: string };

/**
 * Replaces every match of a literal or regex pattern. The replacement points at the last
 * character of the match (tokenizers inserts it after deleting the matched characters).
 */
export class Replace implements Normalizer {
  private readonly regex: RegExp;

  constructor(
    readonly pattern: ReplacePattern,
    readonly content: string,
  ) {
    this.regex = patternToRegex(pattern);
  }

  normalize(input: NormalizedString): NormalizedString {
    const text = input.text;
    this.regex.lastIndex = 0;
    const found = this.regex.test(text);
    this.regex.lastIndex = 0;
    if (!found) return input;
    const out = new AlignedBuilder();
    let last = 0;
    for (const m of text.matchAll(this.regex)) {
      const a = m.index;
      const b = a + m[0].length;
      if (b === a) continue;
      appendAll(out, input, last, a);
      if (this.content.length > 0) out.push(this.content, input.start(b - 1), input.end(b - 1));
      last = b;
    }
    appendAll(out, input, last, text.length);
    return out.build();
  }

  normalizeString(text: string): string {
    this.regex.lastIndex = 0;
    return text.replace(this.regex, (m) => (m.length === 0 ? m : this.content));
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Replace', pattern: this.pattern, content: this.content };
  }
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function patternToRegex(pattern: ReplacePattern): RegExp {
  const source = 'String' in pattern ? escapeRegex(pattern.String) : pattern.Regex;
  return new RegExp(source, 'gu');
}

export class SequenceNormalizer implements Normalizer {
  constructor(readonly normalizers: Normalizer[]) {}

  normalize(input: NormalizedString): NormalizedString {
    for (const n of this.normalizers) input = n.normalize(input);
    return input;
  }

  normalizeString(text: string): string {
    for (const n of this.normalizers) text = n.normalizeString(text);
    return text;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', normalizers: this.normalizers.map((n) => n.toJSON()) };
  }
}
