/** Shape arithmetic shared by the tensor ops. */
import { ShapeError } from '../errors.js';

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d];
  }
  return strides;
}

export function fmt(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** A dim in [-ndim, ndim) as a non-negative index; names the op on error. */
export function normalizeDim(dim: number, ndim: number, op: string): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new ShapeError(`${op}: dim ${dim} is out of range for a tensor with ${ndim} dims (expected an integer in [${-n}, ${n - 1}])`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Normalizes a dim list (undefined = all dims), sorted, rejecting repeats. */
export function normalizeDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = (typeof dims === 'number' ? [dims] : [...dims]).map((d) => normalizeDim(d, ndim, op));
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  if (sorted.length !== list.length) throw new ShapeError(`${op}: dims ${fmt(list)} repeat a dim`);
  return sorted;
}

/** The broadcast shape of two shapes (NumPy/PyTorch rules). */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a view/reshape target shape with at most one -1. */
export function inferShape(target: Shape, total: number, from: Shape, op: string): number[] {
  const out = [...target];
  let infer = -1;
  let known = 1;
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    if (s === -1) {
      if (infer >= 0) throw new ShapeError(`${op}: only one dimension can be -1, got ${fmt(target)}`);
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new ShapeError(`${op}: invalid size ${s} in shape ${fmt(target)}`);
    } else known *= s;
  }
  if (infer >= 0) {
    if (known === 0 || total % known !== 0) {
      throw new ShapeError(`${op}: shape ${fmt(target)} is invalid for a tensor of shape ${fmt(from)} (${total} elements)`);
    }
    out[infer] = total / known;
  }
  if (numel(out) !== total) {
    throw new ShapeError(`${op}: shape ${fmt(target)} is invalid for a tensor of shape ${fmt(from)} (${total} elements)`);
  }
  return out;
}

/**
 * Strides that view memory of (shape, strides) as newShape without copying, or null when the
 * memory layout does not allow it (then reshape copies). Groups of old dims that are contiguous
 * with each other can be split or merged freely.
 */
export function viewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | null {
  if (numel(shape) === 0) return contiguousStrides(newShape);
  // drop size-1 dims: their strides never matter
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  shape.forEach((s, i) => { if (s !== 1) { oldDims.push(s); oldStrides.push(strides[i]); } });
  const out = new Array<number>(newShape.length);
  let oi = 0;
  let ni = 0;
  while (ni < newShape.length) {
    if (newShape[ni] === 1) { out[ni] = 1; ni++; continue; }
    if (oi >= oldDims.length) return null;
    // take a chunk of old dims that are mutually contiguous and match a chunk of new dims in size
    let oldSize = oldDims[oi];
    let oj = oi;
    const chunkStart = ni;
    let newSize = newShape[ni];
    let nj = ni;
    while (oldSize !== newSize) {
      if (oldSize < newSize) {
        oj++;
        if (oj >= oldDims.length || oldStrides[oj - 1] !== oldStrides[oj] * oldDims[oj]) return null;
        oldSize *= oldDims[oj];
      } else {
        nj++;
        if (nj >= newShape.length) return null;
        newSize *= newShape[nj];
      }
    }
    // the new dims of the chunk get strides built from the innermost old stride
    let acc = oldStrides[oj];
    for (let k = nj; k >= chunkStart; k--) {
      out[k] = acc;
      acc *= newShape[k];
    }
    oi = oj + 1;
    ni = nj + 1;
  }
  if (oi !== oldDims.length) return null;
  return out;
}
