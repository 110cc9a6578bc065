/**
 * A piece of text on its way through the pipeline, with the place in the original input that
 * each of its UTF-16 code units came from.
 *
 * Hugging Face tokenizers keeps one (start, end) pair per byte of normalized text; we keep one
 * per UTF-16 unit, already in the JavaScript string indices that offsets are reported in. A
 * character produced by a transformation points at the whole original character it came from
 * (an inserted character points at its predecessor's source), and deleted characters vanish.
 * `align === null` is the common identity case: unit i came from original unit `base + i`.
 */
export class NormalizedString {
  constructor(
    readonly text: string,
    /** Two entries per code unit: original start and end, or null for identity. */
    readonly align: Int32Array | null,
    /** Original index of unit 0 when `align` is null. */
    readonly base: number,
  ) {}

  static identity(text: string, base = 0): NormalizedString {
    return new NormalizedString(text, null, base);
  }

  get length(): number {
    return this.text.length;
  }

  /** Original start of code unit i. */
  start(i: number): number {
    return this.align === null ? this.base + i : this.align[2 * i];
  }

  /** Original end of code unit i. */
  end(i: number): number {
    return this.align === null ? this.base + i + 1 : this.align[2 * i + 1];
  }

  /** Original [start, end) of the units [a, b). */
  originalRange(a: number, b: number): [number, number] {
    if (b <= a) {
      const at = a < this.length ? this.start(a) : this.length > 0 ? this.end(this.length - 1) : this.base;
      return [at, at];
    }
    return [this.start(a), this.end(b - 1)];
  }

  slice(a: number, b: number): NormalizedString {
    if (this.align === null) return new NormalizedString(this.text.slice(a, b), null, this.base + a);
    return new NormalizedString(this.text.slice(a, b), this.align.subarray(2 * a, 2 * b), 0);
  }

  /** Rebuilds the string one code point at a time; see AlignedBuilder. */
  map(fn: (cp: number, start: number, end: number, out: AlignedBuilder) => void): NormalizedString {
    const out = new AlignedBuilder(this.length);
    const text = this.text;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      fn(cp, this.start(i), this.end(i + n - 1), out);
      i += n;
    }
    return out.build();
  }
}

/** Collects characters with their original ranges. */
export class AlignedBuilder {
  private parts: string[] = [];
  private align: Int32Array;
  private units = 0;

  constructor(capacity = 16) {
    this.align = new Int32Array(2 * Math.max(capacity, 16));
  }

  private reserve(extra: number): void {
    const needed = 2 * (this.units + extra);
    if (needed <= this.align.length) return;
    const grown = new Int32Array(Math.max(needed, 2 * this.align.length));
    grown.set(this.align.subarray(0, 2 * this.units));
    this.align = grown;
  }

  /** Appends `str` (any length); every unit of it points at original [start, end). */
  push(str: string, start: number, end: number): void {
    this.parts.push(str);
    this.reserve(str.length);
    const align = this.align;
    for (let k = 0; k < str.length; k++, this.units++) {
      align[2 * this.units] = start;
      align[2 * this.units + 1] = end;
    }
  }

  /** Appends one code point. */
  pushCodePoint(cp: number, start: number, end: number): void {
    this.push(String.fromCodePoint(cp), start, end);
  }

  /**
   * Appends units [a, b) of `from` with their own alignments; `text` may replace them with a
   * string of the same length (e.g. lowercased).
   */
  pushSlice(from: NormalizedString, a: number, b: number, text = from.text.slice(a, b)): void {
    if (b <= a) return;
    this.parts.push(text);
    this.reserve(b - a);
    if (from.align !== null) this.align.set(from.align.subarray(2 * a, 2 * b), 2 * this.units);
    else for (let i = a, u = 2 * this.units; i < b; i++, u += 2) {
      this.align[u] = from.base + i;
      this.align[u + 1] = from.base + i + 1;
    }
    this.units += b - a;
  }

  build(): NormalizedString {
    return new NormalizedString(this.parts.join(''), this.align.slice(0, 2 * this.units), 0);
  }
}
