/** Joining and splitting tensors: cat, stack, split, chunk; and the triangular masks tril/triu. */
import { getBackend } from '../../backend/index.js';
import { ShapeError } from '../../errors.js';
import { record } from '../autograd.js';
import { fmt, normalizeDim, numel } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { arange } from './create.js';
import { ge, le, sub, where } from './elementwise.js';

/** Concatenates along an existing dim. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('cat: expects at least one tensor');
  const first = tensors[0];
  const d = normalizeDim(dim, first.ndim, 'cat');
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      throw new ShapeError(`cat: tensor ${i} has shape ${fmt(t.shape)}, which does not match ${fmt(first.shape)} outside dim ${dim}`);
    }
  });
  const dtype = tensors.every((t) => t.dtype === 'int32') ? 'int32' : 'float32';
  const shape = [...first.shape];
  shape[d] = tensors.reduce((n, t) => n + t.shape[d], 0);
  const out = Tensor.fromArray(allocate(dtype, numel(shape)), shape);
  const starts: number[] = [];
  let start = 0;
  for (const t of tensors) {
    starts.push(start);
    getBackend().assign(t.strided, out.narrow(d, start, t.shape[d]).strided);
    start += t.shape[d];
  }
  return record(out, 'CatBackward', tensors, (g) => tensors.map((t, i) => (t.requiresGrad ? g.narrow(d, starts[i], t.shape[d]) : null)));
}

/** Stacks along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('stack: expects at least one tensor');
  const d = normalizeDim(dim, tensors[0].ndim + 1, 'stack');
  tensors.forEach((t, i) => {
    if (t.ndim !== tensors[0].ndim || t.shape.some((s, j) => s !== tensors[0].shape[j])) {
      throw new ShapeError(`stack: tensor ${i} has shape ${fmt(t.shape)}, expected ${fmt(tensors[0].shape)} like the first`);
    }
  });
  return cat(tensors.map((t) => t.unsqueeze(d)), d);
}

/** Views of consecutive pieces of dim: of equal size (the last may be smaller) or of given sizes. */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.ndim, 'split');
  const size = x.shape[d];
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize <= 0) throw new ShapeError(`split: splitSize must be a positive integer, got ${splitSize}`);
    sizes = [];
    for (let s = 0; s < size; s += splitSize) sizes.push(Math.min(splitSize, size - s));
    if (size === 0) sizes.push(0);
  } else {
    sizes = [...splitSize];
    if (sizes.reduce((a, b) => a + b, 0) !== size) {
      throw new ShapeError(`split: sizes ${fmt(sizes)} do not add up to dim ${dim} of size ${size}`);
    }
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(x.narrow(d, start, s));
    start += s;
  }
  return out;
}

/** Splits into `chunks` pieces (the last may be smaller), as torch.chunk. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ShapeError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normalizeDim(dim, x.ndim, 'chunk');
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** Whether column - row of the last two dims satisfies the comparison with k. */
function triangle(x: Tensor, k: number, keepLower: boolean, op: string): Tensor {
  if (x.ndim < 2) throw new ShapeError(`${op}: expects at least 2 dims, got ${fmt(x.shape)}`);
  const rows = arange(x.shape[x.ndim - 2]).reshape([-1, 1]);
  const cols = arange(x.shape[x.ndim - 1]).reshape([1, -1]);
  const offset = sub(cols, rows);
  return where(keepLower ? le(offset, k) : ge(offset, k), x, 0);
}

/** The lower triangle (col - row <= diagonal), zeros elsewhere. */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, true, 'tril');
}

/** The upper triangle (col - row >= diagonal), zeros elsewhere. */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, false, 'triu');
}
