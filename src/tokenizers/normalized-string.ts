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
  private align: number[] = [];

  constructor(capacity = 0) {
    if (capacity > 0) this.parts.length = 0;
  }

  /** Appends `str` (any length); every unit of it points at original [start, end). */
  push(str: string, start: number, end: number): void {
    this.parts.push(str);
    for (let k = 0; k < str.length; k++) this.align.push(start, end);
  }

  /** Appends one code point. */
  pushCodePoint(cp: number, start: number, end: number): void {
    this.push(String.fromCodePoint(cp), start, end);
  }

  build(): NormalizedString {
    return new NormalizedString(this.parts.join(''), Int32Array.from(this.align), 0);
  }
}
