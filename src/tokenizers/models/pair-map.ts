/**
 * A hash map from a pair of non-negative int32 ids to an int32 value, in typed arrays (open
 * addressing, linear probing). BPE looks merges up by pair constantly; a Map with pair keys
 * packed into doubles hashes slowly and a string key allocates.
 */
export class PairMap {
  private lefts: Int32Array;
  private rights: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.lefts = new Int32Array(capacity).fill(-1);
    this.rights = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  private slot(left: number, right: number): number {
    return (Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca6b)) & this.mask;
  }

  /** The value of (left, right), or -1. */
  get(left: number, right: number): number {
    for (let i = this.slot(left, right); ; i = (i + 1) & this.mask) {
      const l = this.lefts[i];
      if (l === -1) return -1;
      if (l === left && this.rights[i] === right) return this.values[i];
    }
  }

  set(left: number, right: number, value: number): void {
    if ((this.size + 1) * 2 > this.lefts.length) this.grow();
    for (let i = this.slot(left, right); ; i = (i + 1) & this.mask) {
      const l = this.lefts[i];
      if (l === -1) {
        this.lefts[i] = left;
        this.rights[i] = right;
        this.values[i] = value;
        this.size++;
        return;
      }
      if (l === left && this.rights[i] === right) {
        this.values[i] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { lefts, rights, values } = this;
    this.lefts = new Int32Array(lefts.length * 2).fill(-1);
    this.rights = new Int32Array(lefts.length * 2);
    this.values = new Int32Array(lefts.length * 2);
    this.mask = this.lefts.length - 1;
    this.size = 0;
    for (let i = 0; i < lefts.length; i++) if (lefts[i] !== -1) this.set(lefts[i], rights[i], values[i]);
  }
}
