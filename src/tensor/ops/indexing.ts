/** Ops that pick elements by index: embedding lookup, gather, indexSelect, sort, topk, cumsum. */
import { getBackend } from '../../backend/index.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { record } from '../autograd.js';
import { fmt, normalizeDim } from '../shape.js';
import { allocate, allocateUninitialized, Tensor } from '../tensor.js';
import { add, sub } from './elementwise.js';
import { sum } from './reduce.js';

function requireIds(t: Tensor, op: string, what: string): void {
  if (t.dtype !== 'int32') throw new DTypeError(`${op}: ${what} must be int32, got ${t.dtype} (use .int())`);
}

/** Rows of weight [vocab, dim] picked by integer ids of any shape -> [...ids.shape, dim]. */
export function embedding(ids: Tensor, weight: Tensor, paddingIdx = -1): Tensor {
  requireIds(ids, 'embedding', 'ids');
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be [vocab, dim], got ${fmt(weight.shape)}`);
  const [vocab, dim] = weight.shape;
  const idData = ids.contiguousData() as Int32Array;
  const out = allocateUninitialized('float32', idData.length * dim) as Float32Array;
  getBackend().embedding(weight.contiguousData() as Float32Array, vocab, dim, idData, out);
  return record(Tensor.fromArray(out, [...ids.shape, dim]), 'EmbeddingBackward', [weight], (g, sums) => {
    // A tied weight (GPT-2's wte is also its LM head) reaches here with the head's dense gradient
    // already summed: the looked-up rows are added into it in place, instead of into a zeroed
    // vocab x dim array that is then added to it (GPT-2 small: 154 MB zeroed, read and written).
    const sum = sums[0];
    const into = sum && sum.dtype === 'float32' && sum.offset === 0 && sum.isContiguous() ? sum : undefined;
    const gw = into ? (into.data as Float32Array) : new Float32Array(vocab * dim);
    getBackend().embeddingBackward(g.contiguousData() as Float32Array, idData, dim, paddingIdx, gw);
    if (!into) return [Tensor.fromArray(gw, weight.shape)];
    into.markModified();
    return [into];
  });
}

/** torch.gather: out[i][j] = x[i][index[i][j]] for dim 1, and so on. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  requireIds(index, 'gather', 'index');
  const d = normalizeDim(dim, x.ndim, 'gather');
  if (index.ndim !== x.ndim || index.shape.some((s, i) => i !== d && s > x.shape[i])) {
    throw new ShapeError(`gather: index ${fmt(index.shape)} must have the same number of dims as the input ${fmt(x.shape)} and no larger size outside dim ${dim}`);
  }
  const out = allocate(x.dtype, index.numel());
  getBackend().gather(x.strided, index.strided as Tensor['strided'] & { data: Int32Array }, d, out);
  return record(Tensor.fromArray(out, index.shape), 'GatherBackward', [x], (g) => [scatterAdd(g, d, index, x.shape)]);
}

/** The adjoint of gather: a zero tensor of `shape` with g added at the gathered positions. */
function scatterAdd(g: Tensor, dim: number, index: Tensor, shape: readonly number[]): Tensor {
  const gx = new Float32Array(shape.reduce((a, b) => a * b, 1));
  getBackend().scatterAdd(g.contiguousData() as Float32Array, index.strided as Tensor['strided'] & { data: Int32Array }, dim, gx, shape);
  return Tensor.fromArray(gx, shape);
}

/** The entries of dim at the given 1-D indices (torch.index_select). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  requireIds(index, 'indexSelect', 'index');
  if (index.ndim !== 1) throw new ShapeError(`indexSelect: index must be 1-D, got ${fmt(index.shape)}`);
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  // a gather whose index is the 1-D index broadcast over the other dims
  const shape = x.shape.map((s, i) => (i === d ? index.shape[0] : s));
  const viewShape = x.shape.map((_, i) => (i === d ? index.shape[0] : 1));
  return gather(x, d, index.reshape(viewShape).expand(shape));
}

/** Sorted values along dim and where they came from (stable). */
export function sort(x: Tensor, dim = -1, descending = false): { values: Tensor; indices: Tensor } {
  return rowwiseSelect(x, dim, 'sort', (rows, cols, input, values, indices) =>
    getBackend().sort(input, rows, cols, descending, values, indices), undefined);
}

export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  return sort(x, dim, descending).indices;
}

/** The k largest (or smallest) entries along dim, sorted. */
export function topk(x: Tensor, k: number, dim = -1, largest = true): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, x.ndim, 'topk');
  const size = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k) || k < 0 || k > size) throw new ShapeError(`topk: k=${k} is out of range for dim ${dim} of size ${size}`);
  return rowwiseSelect(x, d, 'topk', (rows, cols, input, values, indices) =>
    getBackend().topk(input, rows, cols, k, largest, values, indices), k);
}

/**
 * Runs a per-row selection kernel along dim (moved last), returning values (differentiable
 * through gather) and int32 indices with dim's size replaced by k.
 */
function rowwiseSelect(
  x: Tensor, dim: number, op: string,
  kernel: (rows: number, cols: number, input: Float32Array | Int32Array, values: Float32Array | Int32Array, indices: Int32Array) => void,
  k: number | undefined,
): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, x.ndim, op);
  const last = Math.max(x.ndim - 1, 0);
  const moved = x.ndim === 0 ? x.reshape([1]) : d === last ? x : x.transpose(d, last);
  const cols = moved.shape[moved.ndim - 1];
  const outCols = k ?? cols;
  const input = moved.contiguousData();
  const rows = cols === 0 ? 0 : input.length / cols;
  const values = allocate(x.dtype, rows * outCols);
  const indices = new Int32Array(rows * outCols);
  kernel(rows, cols, input, values, indices);
  const outShape = [...moved.shape.slice(0, -1), outCols];
  const back = (t: Tensor) => (x.ndim === 0 ? t.reshape([]) : d === last ? t : t.transpose(d, last).contiguous());
  const idx = back(Tensor.fromArray(indices, outShape));
  const vals = back(Tensor.fromArray(values, outShape));
  // the values are a gather of x, so their gradient is gather's
  const result = record(vals, `${op[0].toUpperCase()}${op.slice(1)}Backward`, [x], (g) =>
    [x.ndim === 0 ? g : scatterAdd(g, d, idx, x.shape)]);
  return { values: result, indices: idx };
}

/** Inclusive cumulative sum along dim. */
export function cumsum(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'cumsum');
  const last = Math.max(x.ndim - 1, 0);
  const moved = d === last ? x : x.transpose(d, last);
  const input = moved.contiguousData();
  const cols = x.ndim === 0 ? 1 : x.shape[d];
  const rows = cols === 0 ? 0 : input.length / cols;
  const out = allocate(x.dtype, input.length);
  getBackend().cumsum(input, rows, cols, out);
  const result = record(Tensor.fromArray(out, moved.shape), 'CumsumBackward', [moved], (g) => {
    // x_i feeds every output j >= i, so its gradient is the suffix sum of g: total - prefix + g_i
    const lastDim = moved.ndim - 1;
    return [sub(add(sum(g, lastDim, true), g), cumsum(g, lastDim))];
  });
  return d === last ? result : result.transpose(d, last);
}
