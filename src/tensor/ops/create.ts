/** Creating tensors: from nested arrays, constant fills, ranges and random draws. */
import { getBackend } from '../../backend/index.js';
import type { DType } from '../../backend/types.js';
import { DTypeError, OptionError, ShapeError } from '../../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { fmt, numel, type Shape } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

type Nested = number | boolean | readonly Nested[];

function finish(t: Tensor, options: CreateOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

function checkShape(shape: Shape, op: string): void {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new ShapeError(`${op}: invalid shape ${fmt(shape)}: sizes must be non-negative integers`);
  }
}

/**
 * A tensor from a number or nested arrays (torch.tensor). The dtype defaults to float32;
 * pass { dtype: 'int32' } for ids and labels. A typed array is taken as a flat 1-D tensor.
 */
export function tensor(data: Nested | Float32Array | Int32Array, options: CreateOptions = {}): Tensor {
  const dtype = options.dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
  if (data instanceof Float32Array || data instanceof Int32Array) {
    const out = allocate(dtype, data.length);
    out.set(data);
    return finish(Tensor.fromArray(out, [data.length]), options);
  }
  const shape: number[] = [];
  let probe: Nested = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = (probe as readonly Nested[])[0] ?? 0;
  }
  const out = allocate(dtype, numel(shape));
  let i = 0;
  const walk = (value: Nested, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(value)) throw new ShapeError(`tensor: the nested arrays are ragged (too deep at depth ${depth}, expected shape ${fmt(shape)})`);
      const v = typeof value === 'boolean' ? Number(value) : (value as number);
      if (typeof v !== 'number') throw new DTypeError(`tensor: element ${i} is ${typeof value}, expected a number`);
      if (dtype === 'int32' && !Number.isInteger(v)) throw new DTypeError(`tensor: element ${i} (${v}) is not an integer but dtype is int32`);
      out[i++] = v;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      throw new ShapeError(`tensor: the nested arrays are ragged (expected ${shape[depth]} elements at depth ${depth}, shape ${fmt(shape)})`);
    }
    for (const item of value as readonly Nested[]) walk(item, depth + 1);
  };
  walk(data, 0);
  return finish(Tensor.fromArray(out, shape), options);
}

export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  checkShape(shape, 'full');
  const dtype = options.dtype ?? 'float32';
  const out = allocate(dtype, numel(shape));
  if (value !== 0) getBackend().fill(out, value, 0, out.length);
  return finish(Tensor.fromArray(out, shape), options);
}

export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** A new tensor to be filled by the caller (JavaScript memory is always zeroed). */
export function empty(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

export function fullLike(t: Tensor, value: number, options: CreateOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...options });
}

/** Values start, start+step, ... below end (torch.arange); int32 when all arguments are integers. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) { end = start; start = 0; }
  if (step === 0 || !Number.isFinite(step)) throw new OptionError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = options.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return finish(Tensor.fromArray(out, [n]), options);
}

/** The identity matrix. */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** Uniform in [0, 1). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  checkShape(shape, 'rand');
  const g = options.generator ?? defaultGenerator;
  const out = new Float32Array(numel(shape));
  for (let i = 0; i < out.length; i++) out[i] = g.random();
  return finish(Tensor.fromArray(out, shape), options);
}

/** Standard normal. */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  checkShape(shape, 'randn');
  const g = options.generator ?? defaultGenerator;
  const out = new Float32Array(numel(shape));
  g.fillNormal(out);
  return finish(Tensor.fromArray(out, shape), options);
}

/** Integers uniform in [low, high), int32 (torch.randint). */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  checkShape(shape, 'randint');
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new OptionError(`randint: expects integers low < high, got low=${low}, high=${high}`);
  }
  const g = options.generator ?? defaultGenerator;
  const out = allocate(options.dtype ?? 'int32', numel(shape));
  for (let i = 0; i < out.length; i++) out[i] = g.randint(low, high);
  return finish(Tensor.fromArray(out, shape), options);
}

/** A random permutation of 0..n-1 (Fisher-Yates), int32. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    const tmp = out[i]; out[i] = out[j]; out[j] = tmp;
  }
  return Tensor.fromArray(out, [n]);
}
