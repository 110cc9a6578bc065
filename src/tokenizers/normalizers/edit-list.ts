import { AlignedBuilder, type NormalizedString } from '../normalized-string.js';

/** A normalizer's rewrite, character by character. */
export interface Edits {
  keep(cp: number): void;
  /** `count` source characters become `replacement`. */
  replace(count: number, replacement: string): void;
}

/** Edits applied to a plain string (the fast path: no alignments to track). */
export class StringEdits implements Edits {
  constructor(private readonly parts: string[]) {}

  keep(cp: number): void {
    this.parts.push(String.fromCodePoint(cp));
  }

  replace(_count: number, replacement: string): void {
    this.parts.push(replacement);
  }
}

/**
 * tokenizers' change list: each output character with 0 (replaces the next source character),
 * 1 (inserted), or -n (replaces one and deletes n more). Applying it walks the source characters
 * in order. A replacement by nothing at the very start has no previous entry to carry its
 * deletion, so the walk then lags behind, which shifts the offsets that follow (as in tokenizers).
 */
export class EditList implements Edits {
  private chars: number[] = [];
  private changes: number[] = [];

  keep(cp: number): void {
    this.chars.push(cp);
    this.changes.push(0);
  }

  /** One output character with its change (0 replace, 1 insert, -n replace and delete n). */
  push(cp: number, change: number): void {
    this.chars.push(cp);
    this.changes.push(change);
  }

  /** `count` source characters become `replacement`. */
  replace(count: number, replacement: string): void {
    let added = 0;
    for (const ch of replacement) {
      this.chars.push(ch.codePointAt(0)!);
      this.changes.push(0);
      added++;
    }
    const diff = added - count;
    const n = this.changes.length;
    if (diff > 0) for (let k = n - diff; k < n; k++) this.changes[k] = 1;
    else if (diff < 0 && n > 0) this.changes[n - 1] += diff;
  }

  apply(input: NormalizedString): NormalizedString {
    // Original range of every source character.
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < input.length; ) {
      const n = input.text.codePointAt(i)! > 0xffff ? 2 : 1;
      starts.push(input.start(i));
      ends.push(input.end(i + n - 1));
      i += n;
    }
    const first = starts.length ? starts[0] : input.base;
    const out = new AlignedBuilder();
    let pointer = 0;
    for (let k = 0; k < this.chars.length; k++) {
      const change = this.changes[k];
      const ch = String.fromCodePoint(this.chars[k]);
      if (change > 0) {
        const j = Math.min(pointer - 1, starts.length - 1);
        if (j >= 0) out.push(ch, starts[j], ends[j]);
        else out.push(ch, first, first);
      } else {
        const j = Math.min(pointer, starts.length - 1);
        out.push(ch, starts[j], ends[j]);
        pointer += 1 - change;
      }
    }
    return out.build();
  }
}
