/** A binary max-heap of (priority, key) pairs; equal priorities pop the smaller key first. */
export class MaxHeap {
  private priorities: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  private before(i: number, j: number): boolean {
    const p = this.priorities;
    return p[i] > p[j] || (p[i] === p[j] && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    [this.priorities[i], this.priorities[j]] = [this.priorities[j], this.priorities[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  push(priority: number, key: number): void {
    this.priorities.push(priority);
    this.keys.push(key);
    for (let i = this.keys.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.priorities[0], this.keys[0]];
    const last = this.keys.length - 1;
    this.swap(0, last);
    this.priorities.pop();
    this.keys.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.keys.length && this.before(l, best)) best = l;
      if (r < this.keys.length && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }
}
