import { AlignedBuilder, type NormalizedString } from '../normalized-string.js';

/** A normalizer's rewrite of a text, in order: characters kept, runs kept, replacements. */
export interface Edits {
  keep(cp: number): void;
  /** Units [a, b) of the source text are kept as they are. */
  keepRun(text: string, a: number, b: number): void;
  /** `count` source characters become `replacement`. */
  replace(count: number, replacement: string): void;
}

/** Edits applied to a plain string (the fast path: no alignments to track). */
export class StringEdits implements Edits {
  readonly parts: string[] = [];

  keep(cp: number): void {
    this.parts.push(String.fromCodePoint(cp));
  }

  keepRun(text: string, a: number, b: number): void {
    if (b > a) this.parts.push(text.slice(a, b));
  }

  replace(_count: number, replacement: string): void {
    this.parts.push(replacement);
  }

  result(): string {
    return this.parts.join('');
  }
}

/** A kept run of source units, or one output character with its change. */
type Op = { run: true; a: number; b: number } | { run: false; cp: number; change: number };

/**
 * tokenizers' change list: each output character with 0 (replaces the next source character),
 * 1 (inserted), or -n (replaces one and deletes n more). Applying it walks the source characters
 * in order. A replacement by nothing at the very start has no previous entry to carry its
 * deletion, so the walk then lags behind, which shifts the offsets that follow (as in tokenizers).
 * Kept runs are stored whole and copied in bulk when the walk is in step.
 */
export class EditList implements Edits {
  private ops: Op[] = [];
  private source = '';

  keep(cp: number): void {
    this.ops.push({ run: false, cp, change: 0 });
  }

  keepRun(text: string, a: number, b: number): void {
    this.source = text;
    if (b > a) this.ops.push({ run: true, a, b });
  }

  /** One output character with its change (0 replace, 1 insert, -n replace and delete n). */
  push(cp: number, change: number): void {
    this.ops.push({ run: false, cp, change });
  }

  replace(count: number, replacement: string): void {
    let added = 0;
    for (const ch of replacement) {
      this.push(ch.codePointAt(0)!, 0);
      added++;
    }
    const diff = added - count;
    if (diff > 0) {
      for (let k = this.ops.length - diff; k < this.ops.length; k++) (this.ops[k] as { change: number }).change = 1;
    } else if (diff < 0 && this.ops.length > 0) {
      this.lastChar().change += diff;
    }
  }

  /** The last output character as a single op (split off the end of a run if need be). */
  private lastChar(): { run: false; cp: number; change: number } {
    const last = this.ops[this.ops.length - 1];
    if (!last.run) return last;
    const lowSurrogate = last.b - 2 >= last.a && this.source.charCodeAt(last.b - 1) >= 0xdc00 && this.source.charCodeAt(last.b - 1) <= 0xdfff;
    const n = lowSurrogate ? 2 : 1;
    const op = { run: false as const, cp: this.source.codePointAt(last.b - n)!, change: 0 };
    last.b -= n;
    if (last.b === last.a) this.ops.pop();
    this.ops.push(op);
    return op;
  }

  apply(input: NormalizedString): NormalizedString {
    // Unit index of every source character (and the end).
    const text = input.text;
    const unitOf = new Int32Array(text.length + 1);
    let characters = 0;
    for (let i = 0; i < text.length; ) {
      unitOf[characters++] = i;
      const c = text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    }
    unitOf[characters] = text.length;
    const first = characters > 0 ? input.start(0) : input.base;
    const out = new AlignedBuilder(text.length);
    let pointer = 0;
    // Output character aligned with source character j (clamped to the last one).
    const emit = (ch: string, j: number): void => {
      if (j < 0) out.push(ch, first, first);
      else {
        j = Math.min(j, characters - 1);
        out.push(ch, input.start(unitOf[j]), input.end(unitOf[j + 1] - 1));
      }
    };
    for (const op of this.ops) {
      if (op.run) {
        if (pointer < characters && unitOf[pointer] === op.a) {
          out.pushSlice(input, op.a, op.b);
          while (pointer < characters && unitOf[pointer] < op.b) pointer++;
        } else {
          for (const ch of text.slice(op.a, op.b)) emit(ch, pointer++);
        }
      } else if (op.change > 0) {
        emit(String.fromCodePoint(op.cp), pointer - 1);
      } else {
        emit(String.fromCodePoint(op.cp), pointer);
        pointer += 1 - op.change;
      }
    }
    return out.build();
  }
}
