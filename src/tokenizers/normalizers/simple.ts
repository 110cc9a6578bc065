import { AlignedBuilder, NormalizedString } from '../normalized-string.js';
import { isNonspacingMark } from '../unicode.js';
import { EditList } from './edit-list.js';
import type { Normalizer } from './normalizer.js';

const COMBINING = /\p{M}/u;

export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** Unicode normalization forms, applied to each base character with its combining marks. */
export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}

  normalize(input: NormalizedString): NormalizedString {
    const text = input.text;
    if (text.normalize(this.form) === text) return input;
    const edits = new EditList();
    // Clusters: runs that normalize independently of what follows (a character plus whatever
    // combines with it: marks, Hangul vowels, half-width voicing marks).
    let i = 0;
    while (i < text.length) {
      let j = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
      while (j < text.length) {
        const n = text.codePointAt(j)! > 0xffff ? 2 : 1;
        const next = text.slice(j, j + n);
        const joins = COMBINING.test(next) || text.slice(i, j + n).normalize(this.form) !== text.slice(i, j).normalize(this.form) + next.normalize(this.form);
        if (!joins) break;
        j += n;
      }
      const cluster = text.slice(i, j);
      const normalized = cluster.normalize(this.form);
      if (normalized === cluster) for (const c of cluster) edits.keep(c.codePointAt(0)!);
      else this.editCluster(cluster, normalized, edits);
      i = j;
    }
    return edits.apply(input);
  }

  /**
   * The change list of one cluster, built the way tokenizers' normalization does: every source
   * character decomposes (first part replaces it, the rest are inserted), then composing two
   * characters merges their changes (an é from e + accent replaces the e and deletes the accent).
   */
  private editCluster(cluster: string, normalized: string, edits: EditList): void {
    const compose = this.form === 'NFC' || this.form === 'NFKC';
    const decomposition = this.form === 'NFKC' || this.form === 'NFKD' ? 'NFKD' : 'NFD';
    const chars: string[] = [];
    const changes: number[] = [];
    for (const source of cluster) {
      [...source.normalize(decomposition)].forEach((c, k) => {
        const last = chars.length - 1;
        const merged = compose && last >= 0 ? (chars[last] + c).normalize('NFC') : '';
        if (merged.length > 0 && [...merged].length === 1) {
          chars[last] = merged;
          changes[last] += (k === 0 ? 0 : 1) - 1;
        } else {
          chars.push(c);
          changes.push(k === 0 ? 0 : 1);
        }
      });
    }
    if (chars.join('') !== normalized) {
      // Reordered marks or a composition this walk does not see: one block replacement.
      edits.replace([...cluster].length, normalized);
      return;
    }
    chars.forEach((c, k) => edits.push(c.codePointAt(0)!, changes[k]));
  }

  normalizeString(text: string): string {
    return text.normalize(this.form) === text ? text : this.normalize(NormalizedString.identity(text)).text;
  }

  /**
   * Aligns a normalized cluster with its source characters through their full decompositions: an
   * output character starts at the next unused source and uses up as many sources as its own
   * decomposition covers (a composed é takes e and the accent); an output character that falls
   * inside a source's decomposition (the i of "ﬁ" -> "fi") points at that source.
   */
  private pushAligned(out: AlignedBuilder, source: string[], normalized: string, sources: number[]): void {
    const decomposition = this.form === 'NFKC' || this.form === 'NFKD' ? 'NFKD' : 'NFD';
    const budget = source.map((c) => [...c.normalize(decomposition)].length);
    let next = 0; // first unused source
    let left = 0; // decomposition units of source next-1 not yet covered
    for (const ch of normalized) {
      let need = [...ch.normalize(decomposition)].length;
      if (left > 0 || next >= source.length) {
        const j = Math.max(0, next - 1);
        out.push(ch, sources[2 * j], sources[2 * j + 1]);
        left = Math.max(0, left - need);
        continue;
      }
      out.push(ch, sources[2 * next], sources[2 * next + 1]);
      while (need > 0 && next < source.length) {
        const take = Math.min(need, budget[next]);
        need -= take;
        left = budget[next] - take;
        next++;
      }
    }
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

const SPACE = /\p{White_Space}/u;

function isSpaceAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && SPACE.test(text[i]));
}

/** [start, end) of `text` without leading and/or trailing whitespace. */
function stripBounds(text: string, left: boolean, right: boolean): [number, number] {
  let a = 0;
  let b = text.length;
  if (left) while (a < b && isSpaceAt(text, a)) a++;
  if (right) while (b > a && isSpaceAt(text, b - 1)) b--;
  return [a, b];
}

/** Removes whitespace at the start and/or end. */
export class Strip implements Normalizer {
  constructor(
    readonly left: boolean,
    readonly right: boolean,
  ) {}

  normalize(input: NormalizedString): NormalizedString {
    const [a, b] = stripBounds(input.text, this.left, this.right);
    return a === 0 && b === input.length ? input : input.slice(a, b);
  }

  normalizeString(text: string): string {
    const [a, b] = stripBounds(text, this.left, this.right);
    return a === 0 && b === text.length ? text : text.slice(a, b);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Strip', strip_left: this.left, strip_right: this.right };
  }
}

/** Original range of the first character (both units of a surrogate pair). */
export function firstCharRange(input: NormalizedString): [number, number] {
  const n = input.text.codePointAt(0)! > 0xffff ? 2 : 1;
  return [input.start(0), input.end(n - 1)];
}

/** Adds a prefix to non-empty text; the prefix points at the first character. */
export class Prepend implements Normalizer {
  constructor(readonly prepend: string) {}

  normalize(input: NormalizedString): NormalizedString {
    if (input.length === 0) return input;
    const out = new AlignedBuilder();
    out.push(this.prepend, ...firstCharRange(input));
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
  out.pushSlice(from, a, b);
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
