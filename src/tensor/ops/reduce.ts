/** Reductions over any set of dims, with keepdim, and their gradients. */
import { getBackend } from '../../backend/index.js';
import type { DType, ReduceOp } from '../../backend/types.js';
import { ShapeError } from '../../errors.js';
import { record, SavedTensor } from '../autograd.js';
import { fmt, normalizeDim, normalizeDims, numel } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { add, div, eq, log, exp, mul, sub, where } from './elementwise.js';

interface Reduced {
  out: Tensor;
  /** The output's shape with reduced dims kept as 1 (for broadcasting gradients back). */
  keptShape: number[];
}

function reduceForward(op: ReduceOp, x: Tensor, dims: number[], keepdim: boolean, dtype: DType): Reduced {
  const kept = Array.from({ length: x.ndim }, (_, i) => i).filter((d) => !dims.includes(d));
  for (const d of dims) {
    if (x.shape[d] === 0 && op !== 'sum' && op !== 'prod') {
      throw new ShapeError(`${op}: cannot reduce dim ${d} of size 0 (shape ${fmt(x.shape)})`);
    }
  }
  // move the reduced dims last (a view), so the kernel reduces each trailing block
  const order = [...kept, ...dims];
  const view = {
    data: x.data, offset: x.offset,
    shape: order.map((d) => x.shape[d]), strides: order.map((d) => x.strides[d]),
  };
  const outShapeKept = x.shape.map((s, d) => (dims.includes(d) ? 1 : s));
  const out = allocate(dtype, numel(outShapeKept));
  getBackend().reduce(op, view, kept.length, out);
  const shape = keepdim ? outShapeKept : kept.map((d) => x.shape[d]);
  return { out: Tensor.fromArray(out, shape), keptShape: outShapeKept };
}

/** Sum over dims (all by default). Int32 stays int32. */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = normalizeDims(dim, x.ndim, 'sum');
  const { out, keptShape } = reduceForward('sum', x, dims, keepdim, x.dtype);
  return record(out, 'SumBackward', [x], (g) => [g.reshape(keptShape).expand(x.shape)]);
}

export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims = normalizeDims(dim, x.ndim, 'mean');
  const count = dims.reduce((n, d) => n * x.shape[d], 1);
  return div(sum(x.dtype === 'float32' ? x : x.float(), dims, keepdim), count);
}

function extreme(op: 'max' | 'min', x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  const dims = normalizeDims(dim, x.ndim, op);
  const { out, keptShape } = reduceForward(op, x, dims, keepdim, x.dtype);
  const xs = new SavedTensor(x, op);
  return record(out, op === 'max' ? 'MaxBackward' : 'MinBackward', [x], (g) => {
    // the gradient is shared evenly among the positions that hold the extreme value
    const hits = eq(xs.get(), out.reshape(keptShape));
    const count = sum(hits, dims, true);
    return [div(mul(g.reshape(keptShape), hits), count)];
  });
}

/** Maximum over dims (all by default). For the positions, use argmax. */
export function max(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extreme('max', x, dim, keepdim);
}

export function min(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extreme('min', x, dim, keepdim);
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (dim === undefined) {
    // over the flattened tensor, as torch.argmax(x)
    const flat = x.reshape([-1]);
    const r = reduceForward(op, flat, [0], false, 'int32').out;
    return keepdim ? r.reshape(x.shape.map(() => 1)) : r;
  }
  const d = normalizeDim(dim, x.ndim, op);
  return reduceForward(op, x, [d], keepdim, 'int32').out;
}

/** Index of the maximum along dim (first one on ties), int32. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme('argmax', x, dim, keepdim);
}

export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme('argmin', x, dim, keepdim);
}

/** Variance with Bessel's correction by default (torch.var, correction = 1). */
export function variance(
  x: Tensor, dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {},
): Tensor {
  const dims = normalizeDims(dim, x.ndim, 'var');
  const n = dims.reduce((acc, d) => acc * x.shape[d], 1);
  const centered = sub(x, mean(x, dims, true));
  return div(sum(mul(centered, centered), dims, options.keepdim ?? false), Math.max(n - (options.correction ?? 1), 0));
}

/** log(sum(exp(x))) over dims, computed stably by subtracting the maximum first. */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  const dims = normalizeDims(dim, x.ndim, 'logsumexp');
  const m = max(x, dims, true).detach();
  // an all -inf block has max -inf: shift by 0 there so the result is -inf, not NaN
  const shift = where(eq(m, -Infinity), 0, m);
  const out = add(log(sum(exp(sub(x, shift)), dims, true)), shift);
  return keepdim ? out : out.reshape(x.shape.filter((_, d) => !dims.includes(d)));
}
