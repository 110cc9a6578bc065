/**
 * Elementwise ops with broadcasting (PyTorch's rules), each with its backward beside it.
 * Comparisons return int32 masks of 0/1 (Kotoba has no bool dtype); masks are accepted wherever
 * a condition is expected (nonzero = true).
 */
import { getBackend } from '../../backend/index.js';
import type { ActivationOp, BinaryOp, DType, StridedView, UnaryOp } from '../../backend/types.js';
import { record, SavedTensor } from '../autograd.js';
import { broadcastShapes, numel, type Shape, sameShape } from '../shape.js';
import { allocateUninitialized, Tensor, type TensorLike } from '../tensor.js';
import { full } from './create.js';
import { sum } from './reduce.js';

/** A scalar as a 0-d tensor, int32 when it is an integer meeting an int32 tensor. */
export function scalarLike(value: number, like: Tensor): Tensor {
  const dtype: DType = like.dtype === 'int32' && Number.isInteger(value) ? 'int32' : 'float32';
  return full([], value, { dtype });
}

function toTensors(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  if (a instanceof Tensor) return [a, scalarLike(b as number, a)];
  if (b instanceof Tensor) return [scalarLike(a as number, b), b];
  return [full([], a), full([], b)];
}

/** The strided view of t broadcast to shape (stride 0 on repeated dims), without graph bookkeeping. */
export function broadcastView(t: Tensor, shape: Shape): StridedView {
  const lead = shape.length - t.ndim;
  const strides = shape.map((size, i) => {
    const d = i - lead;
    return d >= 0 && t.shape[d] === size ? t.strides[d] : 0;
  });
  return { data: t.data, offset: t.offset, shape, strides };
}

/** Sums a broadcast gradient back to the shape of the input it came from. */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < g.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) dims.push(d);
  }
  const reduced = dims.length > 0 ? sum(g, dims, true) : g;
  return reduced.reshape(shape);
}

const INTEGER_PRESERVING: ReadonlySet<BinaryOp> = new Set(['add', 'sub', 'mul', 'maximum', 'minimum']);
const COMPARISONS: ReadonlySet<BinaryOp> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

function binaryForward(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  let dtype: DType = 'float32';
  if (COMPARISONS.has(op)) dtype = 'int32';
  else if (a.dtype === 'int32' && b.dtype === 'int32' && INTEGER_PRESERVING.has(op)) dtype = 'int32';
  const out = allocateUninitialized(dtype, numel(shape));
  getBackend().binary(op, broadcastView(a, shape), broadcastView(b, shape), out);
  return Tensor.fromArray(out, shape);
}

/**
 * self op= other written straight into self's memory (no temporary of self's size), for a
 * float32 `self` that is contiguous and spans its storage. Returns false, touching nothing, when
 * that does not apply (other does not broadcast to self's shape, or shares self's memory); the
 * caller then computes out of place. Elementwise kernels read position i before writing it, so
 * self may be both an input and the output.
 */
export function binaryInto(op: 'add' | 'sub' | 'mul' | 'div', self: Tensor, other: TensorLike): boolean {
  const y = other instanceof Tensor ? other : scalarLike(other, self);
  if (self.dtype !== 'float32' || self.offset !== 0 || self.data.length !== self.numel() || !self.isContiguous()) return false;
  if (y.data.buffer === self.data.buffer || y.ndim > self.ndim) return false;
  const lead = self.ndim - y.ndim;
  if (y.shape.some((s, d) => s !== 1 && s !== self.shape[d + lead])) return false;
  getBackend().binary(op, self.strided, broadcastView(y, self.shape), self.data);
  return true;
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  return record(binaryForward('add', x, y), 'AddBackward', [x, y], (g) => [sumToShape(g, x.shape), sumToShape(g, y.shape)]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  return record(binaryForward('sub', x, y), 'SubBackward', [x, y], (g) => [sumToShape(g, x.shape), sumToShape(neg(g), y.shape)]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  const xs = new SavedTensor(x, 'mul');
  const ys = new SavedTensor(y, 'mul');
  return record(binaryForward('mul', x, y), 'MulBackward', [x, y], (g) => [
    x.requiresGrad ? sumToShape(mul(g, ys.get()), x.shape) : null,
    y.requiresGrad ? sumToShape(mul(g, xs.get()), y.shape) : null,
  ]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  const ys = new SavedTensor(y, 'div');
  const out = binaryForward('div', x, y);
  return record(out, 'DivBackward', [x, y], (g) => [
    x.requiresGrad ? sumToShape(div(g, ys.get()), x.shape) : null,
    // d(x/y)/dy = -x/y^2 = -out/y
    y.requiresGrad ? sumToShape(neg(div(mul(g, out), ys.get())), y.shape) : null,
  ]);
}

export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && typeof b === 'number') return unaryOp('powScalar', a, b);
  const [x, y] = toTensors(a, b);
  const xs = new SavedTensor(x, 'pow');
  const ys = new SavedTensor(y, 'pow');
  const out = binaryForward('pow', x, y);
  return record(out, 'PowBackward', [x, y], (g) => {
    const base = xs.get();
    const exponent = ys.get();
    return [
      x.requiresGrad ? sumToShape(mul(g, mul(exponent, pow(base, sub(exponent, 1)))), x.shape) : null,
      // d(x^y)/dy = x^y log x; defined as 0 where x == 0 and y >= 0, as PyTorch does
      y.requiresGrad
        ? sumToShape(where(mul(eq(base, 0), ge(exponent, 0)), 0, mul(g, mul(out, log(base)))), y.shape)
        : null,
    ];
  });
}

function minMaxBackward(op: 'maximum' | 'minimum', x: Tensor, y: Tensor, g: Tensor): [Tensor | null, Tensor | null] {
  // the gradient goes to the selected input; ties split it evenly (as PyTorch does)
  const xWins = op === 'maximum' ? gt(x, y) : lt(x, y);
  const tie = mul(eq(x, y), 0.5);
  const xShare = add(xWins, tie);
  return [
    x.requiresGrad ? sumToShape(mul(g, xShare), x.shape) : null,
    y.requiresGrad ? sumToShape(mul(g, sub(1, xShare)), y.shape) : null,
  ];
}

export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  return record(binaryForward('maximum', x, y), 'MaximumBackward', [x, y], (g) => minMaxBackward('maximum', x, y, g));
}

export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  return record(binaryForward('minimum', x, y), 'MinimumBackward', [x, y], (g) => minMaxBackward('minimum', x, y, g));
}

export function eq(a: TensorLike, b: TensorLike): Tensor { return binaryForward('eq', ...toTensors(a, b)); }
export function ne(a: TensorLike, b: TensorLike): Tensor { return binaryForward('ne', ...toTensors(a, b)); }
export function lt(a: TensorLike, b: TensorLike): Tensor { return binaryForward('lt', ...toTensors(a, b)); }
export function le(a: TensorLike, b: TensorLike): Tensor { return binaryForward('le', ...toTensors(a, b)); }
export function gt(a: TensorLike, b: TensorLike): Tensor { return binaryForward('gt', ...toTensors(a, b)); }
export function ge(a: TensorLike, b: TensorLike): Tensor { return binaryForward('ge', ...toTensors(a, b)); }

/** condition ? a : b elementwise, broadcasting all three (torch.where). */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = toTensors(a, b);
  const shape = broadcastShapes(broadcastShapes(condition.shape, x.shape, 'where'), y.shape, 'where');
  const dtype: DType = x.dtype === 'int32' && y.dtype === 'int32' ? 'int32' : 'float32';
  const out = allocateUninitialized(dtype, numel(shape));
  getBackend().where(broadcastView(condition, shape), broadcastView(x, shape), broadcastView(y, shape), out);
  return record(Tensor.fromArray(out, shape), 'WhereBackward', [x, y], (g) => [
    x.requiresGrad ? sumToShape(where(condition, g, 0), x.shape) : null,
    y.requiresGrad ? sumToShape(where(condition, 0, g), y.shape) : null,
  ]);
}

/** Fills value where mask is nonzero (the mask broadcasts to x). */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  const out = where(mask, scalarLike(value, x), x);
  if (!sameShape(out.shape, x.shape)) return out.reshape(x.shape);
  return out;
}

// ---- unary ----

function unaryForward(op: UnaryOp, x: Tensor, p0?: number, p1?: number): Tensor {
  const input = x.dtype === 'float32' ? x : x.float();
  const out = allocateUninitialized('float32', input.numel()) as Float32Array;
  getBackend().unary(op, input.strided as StridedView<Float32Array>, out, p0, p1);
  return Tensor.fromArray(out, x.shape);
}

/** Unary ops whose gradient is a simple expression of the input and output. */
function unaryOp(op: UnaryOp, x: Tensor, p0?: number, p1?: number): Tensor {
  const out = unaryForward(op, x, p0, p1);
  const xs = new SavedTensor(x, op);
  return record(out, `${op[0].toUpperCase()}${op.slice(1)}Backward`, [x], (g) => [unaryGrad(op, xs.get(), out, g, p0 ?? 0, p1 ?? 0)]);
}

function unaryGrad(op: UnaryOp, x: Tensor, out: Tensor, g: Tensor, p0: number, p1: number): Tensor {
  switch (op) {
    case 'neg': return neg(g);
    case 'exp': return mul(g, out);
    case 'log': return div(g, x);
    case 'sqrt': return div(g, mul(out, 2));
    case 'rsqrt': return mul(g, mul(pow(out, 3), -0.5));
    case 'erf': return mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)));
    case 'abs': return mul(g, unaryForward('sign', x));
    case 'sign': return mul(g, 0);
    case 'sin': return mul(g, cos(x));
    case 'cos': return neg(mul(g, sin(x)));
    case 'powScalar': return p0 === 0 ? mul(g, 0) : mul(g, mul(pow(x, p0 - 1), p0));
    case 'clamp': return where(mul(ge(x, p0), le(x, p1)), g, 0);
    case 'affine': return mul(g, p0);
    case 'relu': case 'gelu': case 'geluNew': case 'silu': case 'sigmoid': case 'tanh':
      return activationGrad(op, x, g);
  }
}

function activationGrad(op: ActivationOp, x: Tensor, g: Tensor): Tensor {
  const xc = x.contiguousData() as Float32Array;
  const gc = g.contiguousData() as Float32Array;
  const gx = allocateUninitialized('float32', xc.length) as Float32Array;
  getBackend().activationBackward(op, xc, gc, gx);
  return Tensor.fromArray(gx, x.shape);
}

export function neg(x: Tensor): Tensor { return unaryOp('neg', x); }
export function exp(x: Tensor): Tensor { return unaryOp('exp', x); }
export function log(x: Tensor): Tensor { return unaryOp('log', x); }
export function sqrt(x: Tensor): Tensor { return unaryOp('sqrt', x); }
export function rsqrt(x: Tensor): Tensor { return unaryOp('rsqrt', x); }
export function tanh(x: Tensor): Tensor { return unaryOp('tanh', x); }
export function erf(x: Tensor): Tensor { return unaryOp('erf', x); }
export function abs(x: Tensor): Tensor { return unaryOp('abs', x); }
export function sin(x: Tensor): Tensor { return unaryOp('sin', x); }
export function cos(x: Tensor): Tensor { return unaryOp('cos', x); }
export function sigmoid(x: Tensor): Tensor { return unaryOp('sigmoid', x); }
export function relu(x: Tensor): Tensor { return unaryOp('relu', x); }
/** GELU with the exact erf (BERT's "gelu"). */
export function gelu(x: Tensor): Tensor { return unaryOp('gelu', x); }
/** GELU's tanh approximation (GPT-2's "gelu_new"). */
export function geluNew(x: Tensor): Tensor { return unaryOp('geluNew', x); }
export function silu(x: Tensor): Tensor { return unaryOp('silu', x); }

/** Clamps to [min, max]; either bound may be omitted. */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  return unaryOp('clamp', x, min ?? -Infinity, max ?? Infinity);
}
