/**
 * The Tensor: an n-dimensional view (shape, strides, offset) of a typed array, float32 for values
 * and int32 for ids, labels and masks. Views (view, transpose, permute, narrow, expand, squeeze,
 * unsqueeze) share memory without copying, as in PyTorch. The math lives in ./ops/, one place per
 * op with its backward beside it; the methods here only forward to it.
 */
import { constants as bufferConstants } from 'node:buffer';
import { getBackend } from '../backend/index.js';
import type { AnyArray, DType, StridedView } from '../backend/types.js';
import { AutogradError, DTypeError, ShapeError } from '../errors.js';
import { type BackwardOptions, type GradFn, SavedTensor, isGradEnabled, noGrad, record, runBackward } from './autograd.js';
import { noteBuffer } from './buffer-age.js';
import { noteAllocated, poisonUninitialized, takeRecycled } from './recycle.js';
import { formatTensor } from './format.js';
import * as ops from './ops/index.js';
import { contiguousStrides, fmt, inferShape, normalizeDim, numel, type Shape, viewStrides } from './shape.js';

export type { DType } from '../backend/types.js';
export type TensorLike = Tensor | number;

/** Memory shared by a tensor and its views; `version` counts in-place writes (see SavedTensor). */
export class Storage {
  version = 0;
  constructor(readonly data: AnyArray) {
    noteBuffer(data.buffer);
  }
}

export function allocate(dtype: DType, n: number): AnyArray {
  return dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
}

const MAX_LENGTH = bufferConstants.MAX_LENGTH;

/**
 * Like allocate, but the memory is not zeroed first (torch.empty): only for the output of a
 * kernel that writes every element. A typed array's memory is zeroed when it is made; for
 * activations and gradients that is a pass over memory the kernel's own writes make pointless.
 * Small arrays keep the zeroing (their cost is the object, not the memory). Inside a recycling
 * scope (./recycle.ts) the array may be one a finished layer no longer needs.
 * KOTOBA_POISON_UNINITIALIZED=1 (set by the test runner) fills such memory with NaN (-1 for ids)
 * instead, so that a kernel leaving an element unwritten shows in every result it reaches.
 */
export function allocateUninitialized(dtype: DType, n: number): AnyArray {
  const array = takeRecycled(dtype, n) ?? newUninitialized(dtype, n);
  noteAllocated(array);
  return array;
}

function newUninitialized(dtype: DType, n: number): AnyArray {
  if (poisonUninitialized) return allocate(dtype, n).fill(dtype === 'int32' ? -1 : NaN);
  // Buffer stops at 4 GiB (buffer.constants.MAX_LENGTH); typed arrays go further
  if (n < 4096 || n * 4 > MAX_LENGTH) return allocate(dtype, n);
  const memory = Buffer.allocUnsafeSlow(n * 4).buffer;
  return dtype === 'int32' ? new Int32Array(memory, 0, n) : new Float32Array(memory, 0, n);
}

export class Tensor {
  readonly storage: Storage;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  requiresGrad = false;
  grad: Tensor | null = null;
  gradFn: GradFn | null = null;
  /** Non-leaf tensors keep their .grad only after retainGrad(). */
  retainsGrad = false;

  constructor(storage: Storage, shape: Shape, strides?: readonly number[], offset = 0) {
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.dtype = storage.data instanceof Int32Array ? 'int32' : 'float32';
  }

  /** A new contiguous tensor over the given array (no copy). */
  static fromArray(data: AnyArray, shape: Shape): Tensor {
    if (numel(shape) !== data.length) {
      throw new ShapeError(`Tensor.fromArray: shape ${fmt(shape)} needs ${numel(shape)} elements, the array has ${data.length}`);
    }
    return new Tensor(new Storage(data), shape);
  }

  /** The underlying typed array (the whole storage: mind offset and strides for views). */
  get data(): AnyArray {
    return this.storage.data;
  }

  get ndim(): number {
    return this.shape.length;
  }

  dim(): number {
    return this.shape.length;
  }

  numel(): number {
    return numel(this.shape);
  }

  size(dim?: number): number | readonly number[] {
    return dim === undefined ? this.shape : this.shape[normalizeDim(dim, this.ndim, 'size')];
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The kernel-level description of this tensor's memory. */
  get strided(): StridedView {
    return { data: this.storage.data, offset: this.offset, shape: this.shape, strides: this.strides };
  }

  isContiguous(): boolean {
    let expected = 1;
    for (let d = this.ndim - 1; d >= 0; d--) {
      if (this.shape[d] !== 1 && this.strides[d] !== expected) return false;
      expected *= this.shape[d];
    }
    return true;
  }

  /**
   * A contiguous typed array holding exactly this tensor's elements: the storage itself when the
   * tensor is contiguous and spans it, else a copy. Do not write to it.
   */
  contiguousData(): AnyArray {
    const t = this.contiguous();
    const n = t.numel();
    if (t.offset === 0 && t.storage.data.length === n) return t.storage.data;
    return t.storage.data.subarray(t.offset, t.offset + n);
  }

  // ---- values out ----

  item(): number {
    if (this.numel() !== 1) throw new ShapeError(`item: only a tensor with one element can be converted to a number, this one has shape ${fmt(this.shape)}`);
    return this.storage.data[this.offset];
  }

  /** The values as nested arrays (a number for a 0-d tensor). */
  toArray(): any {
    const flat = this.contiguousData();
    if (this.ndim === 0) return flat[0];
    const build = (dim: number, start: number): any[] => {
      const size = this.shape[dim];
      if (dim === this.ndim - 1) return Array.from(flat.subarray(start, start + size));
      const step = numel(this.shape.slice(dim + 1));
      return Array.from({ length: size }, (_, i) => build(dim + 1, start + i * step));
    };
    return build(0, 0);
  }

  /** The values as a flat number array in row-major order. */
  toFlatArray(): number[] {
    return Array.from(this.contiguousData());
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- dtype ----

  to(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const out = allocateUninitialized(dtype, this.numel());
    getBackend().copy(this.strided, out, 0);
    const result = Tensor.fromArray(out, this.shape);
    if (dtype === 'float32') return record(result, 'ToCopyBackward', [this], () => [null]);
    return result;
  }

  float(): Tensor {
    return this.to('float32');
  }

  int(): Tensor {
    return this.to('int32');
  }

  // ---- autograd ----

  requiresGrad_(value = true): this {
    if (value && this.dtype !== 'float32') throw new DTypeError(`requiresGrad_: only float32 tensors can require gradients, this one is ${this.dtype}`);
    if (!value && !this.isLeaf) throw new AutogradError('requiresGrad_(false): only leaf tensors can stop requiring grad; use detach()');
    this.requiresGrad = value;
    return this;
  }

  /** Keep .grad on this non-leaf tensor during backward. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** The same memory, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset);
  }

  /**
   * Computes the gradient of this tensor with respect to the graph's leaves. With no argument the
   * tensor must hold one element (a loss); otherwise pass the gradient of the same shape.
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    if (!this.requiresGrad) {
      throw new AutogradError('backward: this tensor does not require grad and has no grad_fn; did you compute it inside noGrad() or from tensors without requiresGrad?');
    }
    if (!gradient) {
      if (this.numel() !== 1) {
        throw new AutogradError(`backward: a gradient can be created implicitly only for a single-element output, this one has shape ${fmt(this.shape)}; pass a gradient tensor of that shape`);
      }
      gradient = ops.onesLike(this);
    } else if (gradient.shape.length !== this.shape.length || gradient.shape.some((s, i) => s !== this.shape[i])) {
      throw new AutogradError(`backward: the gradient has shape ${fmt(gradient.shape)} but the tensor has shape ${fmt(this.shape)}`);
    }
    runBackward(this, gradient.detach(), options);
  }

  /**
   * Adds g to .grad. `owned` says g's memory belongs to the backward pass alone (runBackward knows):
   * then the first gradient is taken as it is, else it is copied, since g may be a view of memory
   * other tensors share (PyTorch's AccumulateGrad steals a gradient nobody else references).
   */
  accumulateGrad(g: Tensor, owned = false): void {
    noGrad(() => {
      if (this.grad) this.grad.add_(g);
      else if (owned && g.isContiguous() && g.offset === 0 && g.data.length === g.numel()) this.grad = g;
      else this.grad = g.clone();
    });
  }

  /** Frees the backward closure after backward (PyTorch frees the saved tensors the same way). */
  releaseGraph(): void {
    const fn = this.gradFn;
    if (!fn) return;
    this.gradFn = {
      name: fn.name,
      inputs: fn.inputs,
      backward: () => {
        throw new AutogradError(`${fn.name}: trying to backward through the graph a second time; pass { retainGraph: true } to the first backward()`);
      },
    };
  }

  // ---- views (zero-copy) ----

  /** A view with a new shape; throws when the memory layout needs a copy (use reshape). */
  view(...shape: number[] | [readonly number[]]): Tensor {
    const target = inferShape(flattenArgs(shape), this.numel(), this.shape, 'view');
    const strides = viewStrides(this.shape, this.strides, target);
    if (!strides) {
      throw new ShapeError(`view: shape ${fmt(target)} is not compatible with the memory layout of a tensor of shape ${fmt(this.shape)} and strides ${fmt(this.strides)}; use reshape() (or contiguous().view())`);
    }
    const out = new Tensor(this.storage, target, strides, this.offset);
    return record(out, 'ViewBackward', [this], (g) => [g.reshape(this.shape)]);
  }

  /** A view when the layout allows it, else a copy. */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    const target = inferShape(flattenArgs(shape), this.numel(), this.shape, 'reshape');
    if (viewStrides(this.shape, this.strides, target)) return this.view(target);
    return this.contiguous().view(target);
  }

  flatten(startDim = 0, endDim = -1): Tensor {
    if (this.ndim === 0) return this.reshape([1]);
    const s = normalizeDim(startDim, this.ndim, 'flatten');
    const e = normalizeDim(endDim, this.ndim, 'flatten');
    if (s > e) throw new ShapeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
    const merged = numel(this.shape.slice(s, e + 1));
    return this.reshape([...this.shape.slice(0, s), merged, ...this.shape.slice(e + 1)]);
  }

  transpose(dim0: number, dim1: number): Tensor {
    const a = normalizeDim(dim0, this.ndim, 'transpose');
    const b = normalizeDim(dim1, this.ndim, 'transpose');
    const perm = Array.from({ length: this.ndim }, (_, i) => i);
    perm[a] = b;
    perm[b] = a;
    return this.permute(perm);
  }

  /** 2-D transpose (tensor.T / t() in PyTorch). */
  t(): Tensor {
    if (this.ndim > 2) throw new ShapeError(`t: expects a tensor with at most 2 dims, got shape ${fmt(this.shape)}; use transpose(d0, d1)`);
    return this.ndim < 2 ? this : this.transpose(0, 1);
  }

  permute(...dims: number[] | [readonly number[]]): Tensor {
    const perm = flattenArgs(dims).map((d) => normalizeDim(d, this.ndim, 'permute'));
    if (perm.length !== this.ndim || new Set(perm).size !== perm.length) {
      throw new ShapeError(`permute: dims ${fmt(perm)} are not a permutation of the ${this.ndim} dims of a tensor of shape ${fmt(this.shape)}`);
    }
    const out = new Tensor(this.storage, perm.map((d) => this.shape[d]), perm.map((d) => this.strides[d]), this.offset);
    const inverse = new Array<number>(perm.length);
    perm.forEach((d, i) => { inverse[d] = i; });
    return record(out, 'PermuteBackward', [this], (g) => [g.permute(inverse)]);
  }

  /** Elements start .. start+length-1 of one dim (torch.narrow). */
  narrow(dim: number, start: number, length: number): Tensor {
    const d = normalizeDim(dim, this.ndim, 'narrow');
    const size = this.shape[d];
    if (start < 0) start += size;
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0 || start + length > size) {
      throw new ShapeError(`narrow: start ${start} and length ${length} do not fit dim ${dim} of size ${size} (shape ${fmt(this.shape)})`);
    }
    const shape = [...this.shape];
    shape[d] = length;
    const out = new Tensor(this.storage, shape, this.strides, this.offset + start * this.strides[d]);
    return record(out, 'NarrowBackward', [this], (g) => {
      const full = ops.zeros(this.shape);
      full.narrow(d, start, length).copy_(g);
      return [full];
    });
  }

  /** Python-style slice of one dim: start (inclusive) to end (exclusive), negatives from the end. */
  slice(dim: number, start = 0, end?: number): Tensor {
    const d = normalizeDim(dim, this.ndim, 'slice');
    const size = this.shape[d];
    const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
    const s = clampIndex(start);
    const e = clampIndex(end ?? size);
    return this.narrow(d, s, Math.max(e - s, 0));
  }

  /** Index one position of a dim, removing it (x[i] for dim 0). */
  select(dim: number, index: number): Tensor {
    const d = normalizeDim(dim, this.ndim, 'select');
    const size = this.shape[d];
    if (index < -size || index >= size || !Number.isInteger(index)) {
      throw new ShapeError(`select: index ${index} is out of range for dim ${dim} of size ${size}`);
    }
    return this.narrow(d, index < 0 ? index + size : index, 1).squeeze(d);
  }

  /** A view repeating size-1 dims (stride 0); -1 keeps a size. New leading dims may be added. */
  expand(...shape: number[] | [readonly number[]]): Tensor {
    const target = flattenArgs(shape);
    if (target.length < this.ndim) {
      throw new ShapeError(`expand: the target ${fmt(target)} has fewer dims than the tensor ${fmt(this.shape)}`);
    }
    const lead = target.length - this.ndim;
    const outShape: number[] = [];
    const outStrides: number[] = [];
    target.forEach((size, i) => {
      const d = i - lead;
      const own = d >= 0 ? this.shape[d] : 1;
      const resolved = size === -1 ? own : size;
      if (d < 0 && size === -1) throw new ShapeError(`expand: -1 is not allowed for the new leading dim ${i}`);
      if (own !== resolved && own !== 1) {
        throw new ShapeError(`expand: cannot expand dim ${i} of size ${own} to ${resolved} (tensor ${fmt(this.shape)}, target ${fmt(target)}); only size-1 dims expand`);
      }
      outShape.push(resolved);
      outStrides.push(d >= 0 && own === resolved ? this.strides[d] : 0);
    });
    const out = new Tensor(this.storage, outShape, outStrides, this.offset);
    return record(out, 'ExpandBackward', [this], (g) => [ops.sumToShape(g, this.shape)]);
  }

  expandAs(other: Tensor): Tensor {
    return this.expand(other.shape);
  }

  /** Removes size-1 dims (all, or the given one if it has size 1). */
  squeeze(dim?: number): Tensor {
    let shape: number[];
    if (dim === undefined) shape = this.shape.filter((s) => s !== 1);
    else {
      const d = normalizeDim(dim, this.ndim, 'squeeze');
      shape = this.shape[d] === 1 ? this.shape.filter((_, i) => i !== d) : [...this.shape];
    }
    return this.view(shape);
  }

  unsqueeze(dim: number): Tensor {
    const d = normalizeDim(dim, this.ndim + 1, 'unsqueeze');
    const shape = [...this.shape];
    shape.splice(d, 0, 1);
    return this.view(shape);
  }

  /** This tensor if contiguous, else a contiguous copy. */
  contiguous(): Tensor {
    if (this.isContiguous()) return this;
    return this.clone();
  }

  /** A contiguous copy that is part of the graph. */
  clone(): Tensor {
    const out = allocateUninitialized(this.dtype, this.numel());
    getBackend().copy(this.strided, out, 0);
    return record(Tensor.fromArray(out, this.shape), 'CloneBackward', [this], (g) => [g]);
  }

  // ---- in place (bump the version so saved tensors can detect the change) ----

  private checkInPlace(op: string): void {
    if (this.requiresGrad && isGradEnabled()) {
      throw new AutogradError(`${op}: in-place ops on a tensor that requires grad are only allowed inside noGrad() (shape ${fmt(this.shape)})`);
    }
  }

  /** Marks this tensor's memory as modified in place. */
  markModified(): void {
    this.storage.version++;
  }

  copy_(src: TensorLike): this {
    this.checkInPlace('copy_');
    const s = typeof src === 'number' ? ops.full([], src, { dtype: this.dtype }) : src;
    const expanded = s.ndim === this.ndim && s.shape.every((v, i) => v === this.shape[i]) ? s : s.expand(this.shape);
    this.writeFrom(expanded);
    this.markModified();
    return this;
  }

  /** Writes src (already of this shape) into this tensor's memory; contiguous cases are a memcpy or a fill. */
  private writeFrom(src: Tensor): void {
    const n = this.numel();
    if (this.isContiguous()) {
      if (src.numel() === 1 || src.strides.every((st) => st === 0)) {
        getBackend().fill(this.data, src.data[src.offset], this.offset, n);
        return;
      }
      if (src.isContiguous() && src.dtype === this.dtype) {
        (this.data as Float32Array).set(src.data.subarray(src.offset, src.offset + n) as Float32Array, this.offset);
        return;
      }
    }
    getBackend().assign(src.strided, this.strided);
  }

  fill_(value: number): this {
    return this.copy_(value);
  }

  zero_(): this {
    return this.copy_(0);
  }

  add_(other: TensorLike, alpha = 1): this {
    const y = alpha === 1 ? other : noGrad(() => ops.mul(other, alpha));
    return this.inPlaceBinary('add', y) ?? this.inPlace('add_', () => ops.add(this, y));
  }

  sub_(other: TensorLike): this {
    return this.inPlaceBinary('sub', other) ?? this.inPlace('sub_', () => ops.sub(this, other));
  }

  mul_(other: TensorLike): this {
    return this.inPlaceBinary('mul', other) ?? this.inPlace('mul_', () => ops.mul(this, other));
  }

  div_(other: TensorLike): this {
    return this.inPlaceBinary('div', other) ?? this.inPlace('div_', () => ops.div(this, other));
  }

  clamp_(min?: number, max?: number): this {
    return this.inPlace('clamp_', () => ops.clamp(this, min, max));
  }

  maskedFill_(mask: Tensor, value: number): this {
    return this.inPlace('maskedFill_', () => ops.maskedFill(this, mask, value));
  }

  /** The fast form of add_/sub_/mul_/div_: the kernel writes into this tensor's memory; null where it cannot. */
  private inPlaceBinary(op: 'add' | 'sub' | 'mul' | 'div', other: TensorLike): this | null {
    this.checkInPlace(`${op}_`);
    if (!noGrad(() => ops.binaryInto(op, this, other))) return null;
    this.markModified();
    return this;
  }

  private inPlace(op: string, compute: () => Tensor): this {
    this.checkInPlace(op);
    const result = noGrad(compute);
    if (result.ndim !== this.ndim || result.shape.some((s, i) => s !== this.shape[i])) {
      throw new ShapeError(`${op}: the result's shape ${fmt(result.shape)} differs from the tensor's ${fmt(this.shape)}; in-place ops cannot broadcast the tensor itself`);
    }
    if (result.dtype !== this.dtype) {
      throw new DTypeError(`${op}: the result is ${result.dtype} and cannot be written into this ${this.dtype} tensor (as in PyTorch); convert with .float() first`);
    }
    this.writeFrom(result);
    this.markModified();
    return this;
  }

  // ---- math: forwards to ./ops ----

  add(other: TensorLike): Tensor { return ops.add(this, other); }
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  tanh(): Tensor { return ops.tanh(this); }
  erf(): Tensor { return ops.erf(this); }
  abs(): Tensor { return ops.abs(this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  relu(): Tensor { return ops.relu(this); }
  gelu(): Tensor { return ops.gelu(this); }
  geluNew(): Tensor { return ops.geluNew(this); }
  silu(): Tensor { return ops.silu(this); }
  square(): Tensor { return ops.mul(this, this); }
  clamp(min?: number, max?: number): Tensor { return ops.clamp(this, min, max); }
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  eq(other: TensorLike): Tensor { return ops.eq(this, other); }
  ne(other: TensorLike): Tensor { return ops.ne(this, other); }
  lt(other: TensorLike): Tensor { return ops.lt(this, other); }
  le(other: TensorLike): Tensor { return ops.le(this, other); }
  gt(other: TensorLike): Tensor { return ops.gt(this, other); }
  ge(other: TensorLike): Tensor { return ops.ge(this, other); }
  logicalNot(): Tensor { return ops.eq(this, 0); }
  maskedFill(mask: Tensor, value: number): Tensor { return ops.maskedFill(this, mask, value); }
  where(condition: Tensor, other: TensorLike): Tensor { return ops.where(condition, this, other); }

  sum(dim?: number | readonly number[], keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  mean(dim?: number | readonly number[], keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  max(dim?: number | readonly number[], keepdim = false): Tensor { return ops.max(this, dim, keepdim); }
  min(dim?: number | readonly number[], keepdim = false): Tensor { return ops.min(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  var(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor { return ops.variance(this, dim, options); }
  std(dim?: number | readonly number[], options: { correction?: number; keepdim?: boolean } = {}): Tensor { return ops.variance(this, dim, options).sqrt(); }
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor { return ops.logsumexp(this, dim, keepdim); }
  norm(): Tensor { return ops.mul(this, this).sum().sqrt(); }

  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  softmax(dim: number): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return ops.logSoftmax(this, dim); }

  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }
  split(splitSize: number | readonly number[], dim = 0): Tensor[] { return ops.split(this, splitSize, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  topk(k: number, dim = -1, largest = true): { values: Tensor; indices: Tensor } { return ops.topk(this, k, dim, largest); }
  sort(dim = -1, descending = false): { values: Tensor; indices: Tensor } { return ops.sort(this, dim, descending); }
  argsort(dim = -1, descending = false): Tensor { return ops.argsort(this, dim, descending); }
  cumsum(dim: number): Tensor { return ops.cumsum(this, dim); }
  tril(diagonal = 0): Tensor { return ops.tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return ops.triu(this, diagonal); }
}

function flattenArgs(args: number[] | [readonly number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
}

export { SavedTensor };
