/**
 * Small numeric helpers on plain arrays: the explorer reads tensors out once and does the
 * per-token bookkeeping (top-k, norms, cosines) in JavaScript, where it is easiest to follow.
 */
import { OptionError } from '../errors.js';
import type { Tensor } from '../tensor/index.js';

/** Rounds to 7 decimals: plenty for display, and keeps JSON small. */
export function round(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

/** Batch row 0 of a [batch, rows, ...] tensor, as a Float32Array of rows * cols values. */
function firstBatch(t: Tensor): Float32Array {
  const data = t.contiguousData() as Float32Array;
  const perBatch = t.numel() / t.shape[0];
  return data.subarray(0, perBatch);
}

/** Attention probabilities [batch, heads, q, k] of batch row 0 as [head][q][k]. */
export function attentionMatrices(t: Tensor): number[][][] {
  const [, heads, q, k] = t.shape;
  const data = firstBatch(t);
  const out: number[][][] = [];
  for (let h = 0; h < heads; h++) {
    const rows: number[][] = [];
    for (let i = 0; i < q; i++) {
      const start = (h * q + i) * k;
      rows.push(Array.from(data.subarray(start, start + k), round));
    }
    out.push(rows);
  }
  return out;
}

/** Hidden states [batch, tokens, dim] of batch row 0 as one Float32Array per token. */
export function tokenVectors(t: Tensor): Float32Array[] {
  const [, n, d] = t.shape;
  const data = firstBatch(t);
  return Array.from({ length: n }, (_, i) => data.subarray(i * d, (i + 1) * d));
}

export function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  const n = norm(a) * norm(b);
  return n === 0 ? 0 : dot / n;
}

/** softmax(logits / temperature), computed stably in float64. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new OptionError(`temperature must be a positive number, got ${temperature}`);
  }
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] / temperature);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i] / temperature - max);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** Indices of the k largest values, largest first (ties: lower index first); one pass, no full sort. */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (best.length === k && !(v > values[best[k - 1]])) continue;
    let j = best.length === k ? k - 1 : best.length;
    while (j > 0 && values[best[j - 1]] < v) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = i;
  }
  return best;
}

/** Row `row` of a [batch, rows, cols] logits tensor (batch 0). */
export function logitsRow(t: Tensor, row: number): Float32Array {
  const cols = t.shape[t.ndim - 1];
  return firstBatch(t).subarray(row * cols, (row + 1) * cols);
}

/** A seeded uniform random generator in [0, 1) (mulberry32): the same seed gives the same steps. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
