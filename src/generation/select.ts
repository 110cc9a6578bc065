/**
 * Ordering and selection over one row of scores, in plain loops: the per-step work of the
 * warpers, beam search and top logprobs over a vocabulary of ~50k entries must cost well under
 * a millisecond, and a general sort per step does not. Ties are broken by the lower index, as a
 * stable sort would.
 */

const INDEX_BITS = 2 ** 21; // rows up to 2M entries (beam search: numBeams * vocab)

/** A float32's bits mapped to an unsigned integer that orders like the float (-inf first; -0 = 0). */
function orderKey(v: number, view: DataView): number {
  view.setFloat32(0, v === 0 ? 0 : v);
  const bits = view.getUint32(0);
  return bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
}

/**
 * The positions of `values` in ascending (or descending) order of value; equal values keep
 * their index order. Sorts (value key, index) pairs packed into float64s with the typed
 * array's numeric sort.
 */
export function argsortRow(values: ArrayLike<number>, descending = false): Int32Array {
  const n = values.length;
  if (n > INDEX_BITS) throw new RangeError(`argsortRow: ${n} entries is more than ${INDEX_BITS}`);
  const view = new DataView(new ArrayBuffer(4));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const key = orderKey(values[i], view);
    keys[i] = (descending ? 0xffffffff - key : key) * INDEX_BITS + i;
  }
  keys.sort();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = keys[i] % INDEX_BITS;
  return out;
}

/** The k largest entries (positions, largest first; ties: lower position first). */
export function topKRow(values: ArrayLike<number>, k: number): Int32Array {
  const n = values.length;
  k = Math.min(k, n);
  if (k <= 0) return new Int32Array(0);
  // a min-heap of the k best so far, "worse" = smaller value, or equal value and larger index
  const heap = new Int32Array(k);
  const worse = (a: number, b: number) => values[a] < values[b] || (values[a] === values[b] && a > b);
  const siftDown = (start: number, size: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      const t = heap[i]; heap[i] = heap[m]; heap[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < k; i++) heap[i] = i;
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i, k);
  for (let i = k; i < n; i++) {
    const v = values[i];
    if (v > values[heap[0]] || (v === values[heap[0]] && i < heap[0])) {
      heap[0] = i;
      siftDown(0, k);
    }
  }
  // pop the worst to the back: the array ends up best first
  for (let size = k - 1; size > 0; size--) {
    const t = heap[0]; heap[0] = heap[size]; heap[size] = t;
    siftDown(0, size);
  }
  return heap;
}
