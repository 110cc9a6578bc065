/**
 * A byte-level n-gram language model (default order 5) with interpolated Kneser-Ney smoothing
 * (Kneser & Ney 1995; the interpolated form of Chen & Goodman 1998, section 3.5/eq. 17, with one
 * absolute discount per order, D_k = n1 / (n1 + 2 n2), Ney et al. 1994):
 *
 *   P_k(w | h) = max(c_k(h w) - D_k, 0) / c_k(h .)  +  D_k * N1+(h .) / c_k(h .) * P_{k-1}(w | h')
 *
 * h' is h without its first byte. c_k is the raw count for the highest order and the
 * continuation count N1+(. h w) (distinct bytes seen before "h w") for lower orders. When the
 * context h was never seen, P_k(w | h) = P_{k-1}(w | h'). The recursion ends in the uniform
 * distribution over the 256 bytes, P_0(w) = 1/256, so every byte has non-zero probability
 * and the distribution over the 256 bytes sums to 1 in every context.
 *
 * Each document (a line of text) is read as its UTF-8 bytes after order-1 newline bytes of
 * padding, so every byte is predicted from a full context and documents do not see each other.
 * n-grams are packed into numbers: byte i of an n-gram is a base-256 digit (5 bytes = 40 bits,
 * exact in a double).
 */

export const ALPHABET = 256;
const PAD = 0x0a;

interface OrderTable {
  /** c_k(h w) by packed n-gram. */
  counts: Map<number, number>;
  /** sum over w of c_k(h w), by packed context h. */
  contextTotals: Map<number, number>;
  /** N1+(h .): distinct w with c_k(h w) > 0, by packed context h. */
  contextTypes: Map<number, number>;
  discount: number;
}

export class KneserNeyByteLM {
  readonly order: number;
  private tables: OrderTable[] = [];
  /** Bytes of training text read (padding excluded). */
  trainedBytes = 0;

  constructor(order = 5) {
    if (order < 1 || order > 6) throw new Error(`KneserNeyByteLM: order must be in [1, 6], got ${order}`);
    this.order = order;
  }

  private padded(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length + this.order - 1).fill(PAD, 0, this.order - 1);
    out.set(bytes, this.order - 1);
    return out;
  }

  /** Counts the n-grams of the documents and derives the lower-order continuation counts. */
  fit(documents: Iterable<Uint8Array>): this {
    const n = this.order;
    const top = new Map<number, number>();
    const scale = ALPHABET ** (n - 1);
    for (const doc of documents) {
      this.trainedBytes += doc.length;
      const b = this.padded(doc);
      let key = 0;
      for (let i = 0; i < n - 1; i++) key = key * ALPHABET + b[i];
      for (let i = n - 1; i < b.length; i++) {
        key = (key % scale) * ALPHABET + b[i];
        top.set(key, (top.get(key) ?? 0) + 1);
      }
    }
    // counts[k-1] for order k; lower orders: continuation counts from the distinct (k+1)-grams
    const counts: Map<number, number>[] = new Array(n);
    counts[n - 1] = top;
    for (let k = n - 1; k >= 1; k--) {
      const lower = new Map<number, number>();
      const mod = ALPHABET ** k;
      for (const key of counts[k].keys()) {
        const suffix = key % mod;
        lower.set(suffix, (lower.get(suffix) ?? 0) + 1);
      }
      counts[k - 1] = lower;
    }
    this.tables = counts.map((c) => {
      const contextTotals = new Map<number, number>();
      const contextTypes = new Map<number, number>();
      let n1 = 0;
      let n2 = 0;
      for (const [key, count] of c) {
        const h = Math.floor(key / ALPHABET);
        contextTotals.set(h, (contextTotals.get(h) ?? 0) + count);
        contextTypes.set(h, (contextTypes.get(h) ?? 0) + 1);
        if (count === 1) n1++;
        else if (count === 2) n2++;
      }
      const discount = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
      return { counts: c, contextTotals, contextTypes, discount };
    });
    return this;
  }

  /**
   * P(w | context), context = the previous order-1 bytes (fewer are padded on the left with
   * newlines, as at the start of a document).
   */
  probability(context: ArrayLike<number>, w: number): number {
    const n = this.order;
    const ctx: number[] = [];
    for (let i = 0; i < n - 1 - context.length; i++) ctx.push(PAD);
    for (let i = Math.max(0, context.length - (n - 1)); i < context.length; i++) ctx.push(context[i]);
    return this.probabilityOfPacked(ctx, w);
  }

  /** ctx: exactly order-1 bytes. */
  private probabilityOfPacked(ctx: readonly number[], w: number): number {
    let p = 1 / ALPHABET;
    for (let k = 1; k <= this.order; k++) {
      // context of order k: the last k-1 bytes of ctx
      let h = 0;
      for (let i = ctx.length - (k - 1); i < ctx.length; i++) h = h * ALPHABET + ctx[i];
      const t = this.tables[k - 1];
      const total = t.contextTotals.get(h);
      if (total === undefined) continue; // unseen context: keep the lower-order estimate
      const c = t.counts.get(h * ALPHABET + w) ?? 0;
      const types = t.contextTypes.get(h)!;
      p = Math.max(c - t.discount, 0) / total + ((t.discount * types) / total) * p;
    }
    return p;
  }

  /** Total negative log2-likelihood of a document's bytes (each predicted from the padded context). */
  bits(doc: Uint8Array): number {
    const b = this.padded(doc);
    const n = this.order;
    let bits = 0;
    const ctx = new Array<number>(n - 1);
    for (let i = n - 1; i < b.length; i++) {
      for (let j = 0; j < n - 1; j++) ctx[j] = b[i - (n - 1) + j];
      bits -= Math.log2(this.probabilityOfPacked(ctx, b[i]));
    }
    return bits;
  }
}
