/**
 * Matrix products: matmul (torch.matmul's rules: 1-D promotion, batched with broadcast leading
 * dims) and linear (x W^T + b, the Linear layer's op, bias fused into the GEMM epilogue).
 * Transposed views are passed to the GEMM kernel as transpose flags, not copied.
 */
import { getBackend } from '../../backend/index.js';
import type { GemmArgs } from '../../backend/types.js';
import { ShapeError } from '../../errors.js';
import { needsGrad, record, SavedTensor } from '../autograd.js';
import { broadcastShapes, fmt, numel } from '../shape.js';
import { allocateUninitialized, Tensor, type Storage } from '../tensor.js';
import { broadcastView, gelu, geluNew, relu, sumToShape } from './elementwise.js';
import { cat } from './join.js';
import { sum } from './reduce.js';

interface Operand {
  data: Float32Array;
  offset: number;
  trans: boolean;
  ld: number;
  batchStride: number;
}

/**
 * How the GEMM kernel can read the last two dims (rows x cols) of t broadcast to
 * [...batch, rows, cols]: row-major with a leading dimension, or column-major (a transposed
 * view); the batch dims must collapse to one stride. Copies to contiguous memory otherwise.
 */
function operand(t: Tensor, batch: readonly number[], rows: number, cols: number): Operand {
  const shape = [...batch, rows, cols];
  const v = broadcastView(t, shape);
  const rs = v.strides[shape.length - 2];
  const cs = v.strides[shape.length - 1];
  let layout: { trans: boolean; ld: number } | null = null;
  if (cs === 1 && (rows === 1 || rs >= cols)) layout = { trans: false, ld: rows === 1 ? Math.max(cols, rs) : rs };
  else if (rs === 1 && (cols === 1 || cs >= rows)) layout = { trans: true, ld: cols === 1 ? Math.max(rows, cs) : cs };
  const batchStride = collapseBatch(batch, v.strides.slice(0, batch.length));
  if (!layout || batchStride === null || t.dtype !== 'float32') {
    // materialize the broadcast batch in row-major order
    const c = Tensor.fromArray(allocateUninitialized('float32', numel(shape)), shape);
    getBackend().copy(v, c.data, 0);
    return { data: c.data as Float32Array, offset: 0, trans: false, ld: cols, batchStride: rows * cols };
  }
  return { data: v.data as Float32Array, offset: v.offset, ...layout, batchStride };
}

/** One stride walking all batch dims in row-major order, or null if there is none. */
function collapseBatch(batch: readonly number[], strides: readonly number[]): number | null {
  const dims = batch.map((s, i) => ({ s, st: strides[i] })).filter((d) => d.s !== 1);
  if (dims.length === 0) return 0;
  if (dims.every((d) => d.st === 0)) return dims.length === 1 ? 0 : null;
  for (let i = 0; i + 1 < dims.length; i++) if (dims[i].st !== dims[i + 1].st * dims[i + 1].s) return null;
  return dims[dims.length - 1].st;
}

/**
 * Weights packed for the GEMM kernel, per storage: packed at their first product without
 * gradients and reused while unchanged (the storage's version counts in-place writes), as
 * inference engines prepack constant weights. Costs a second copy of each weight so used;
 * KOTOBA_PREPACK=0 turns it off.
 */
const packedWeights = new WeakMap<Storage, { key: string; version: number; packed: Float32Array }>();
const prepackEnabled = process.env.KOTOBA_PREPACK !== '0';

function packedWeight(b: Tensor, B: Operand, k: number, n: number): Float32Array | undefined {
  const backend = getBackend();
  const key = `${backend.name}:${backend.isa}:${B.offset}:${B.ld}:${B.trans}:${k}:${n}`;
  const cached = packedWeights.get(b.storage);
  if (cached && cached.key === key && cached.version === b.storage.version) return cached.packed;
  const packed = backend.packB({ b: B.data, bOffset: B.offset, ldb: B.ld, k, n, transB: B.trans });
  if (!packed) return undefined;
  packedWeights.set(b.storage, { key, version: b.storage.version, packed });
  return packed;
}

/**
 * C = A @ B for a: [...batch, M, K] and b: [...batch, K, N] (batch dims broadcast). With
 * `prepack`, a single B (a weight) is packed once and reused (packedWeight).
 */
function batchedProduct(a: Tensor, b: Tensor, extra: Partial<GemmArgs> = {}, prepack = false): Tensor {
  const M = a.shape[a.ndim - 2];
  const K = a.shape[a.ndim - 1];
  const N = b.shape[b.ndim - 1];
  if (b.shape[b.ndim - 2] !== K) {
    throw new ShapeError(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${K} columns vs ${b.shape[b.ndim - 2]} rows)`);
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  const A = operand(a, batch, M, K);
  const B = operand(b, batch, K, N);
  const out = allocateUninitialized('float32', numel(batch) * M * N) as Float32Array;
  const packedB = prepack && prepackEnabled && numel(batch) === 1 && M > 1 && K * N >= 4096 ? packedWeight(b, B, K, N) : undefined;
  getBackend().gemm({
    batch: numel(batch), m: M, n: N, k: K, transA: A.trans, transB: B.trans,
    a: A.data, aOffset: A.offset, lda: A.ld, strideA: A.batchStride,
    b: B.data, bOffset: B.offset, ldb: B.ld, strideB: B.batchStride,
    c: out, cOffset: 0, ldc: N, strideC: M * N, alpha: 1, beta: 0,
    ...extra,
    ...(packedB ? { packedB } : {}),
  });
  return Tensor.fromArray(out, [...batch, M, N]);
}

/** Matrix product with torch.matmul's rules. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: both arguments need at least 1 dim, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (a.ndim === 1 && b.ndim === 1) return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape([]);
  if (a.ndim === 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
  if (b.ndim === 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
  const as = new SavedTensor(a, 'matmul');
  const bs = new SavedTensor(b, 'matmul');
  return record(batchedProduct(a, b), 'MmBackward', [a, b], (g) => [
    a.requiresGrad ? sumToShape(batchedProduct(g, bs.get().transpose(-1, -2)), a.shape) : null,
    b.requiresGrad ? sumToShape(batchedProduct(as.get().transpose(-1, -2), g), b.shape) : null,
  ]);
}

/**
 * dL/dW = g^T x for y = x W^T, computed in W's own memory layout: GPT-2's Conv1D passes W as a
 * transposed view of its [in, out] weight, so there the product is x^T g ([in, out]) returned as
 * a transposed view — the gradient reaches the [in, out] parameter without a transposing copy.
 */
function weightGrad(g: Tensor, x: Tensor, weight: Tensor): Tensor {
  const transposedView = weight.strides[0] === 1 && weight.strides[1] === weight.shape[0] && weight.shape[0] > 1;
  return transposedView ? batchedProduct(x.transpose(0, 1), g).transpose(0, 1) : batchedProduct(g.transpose(0, 1), x);
}

/** Activations the GEMM can apply as it stores its result (the kernel's epilogue). */
const EPILOGUE = new Map<(x: Tensor) => Tensor, 'relu' | 'gelu' | 'geluNew'>([[relu, 'relu'], [gelu, 'gelu'], [geluNew, 'geluNew']]);

/**
 * y = x W^T + b for x: [..., in], W: [out, in] (PyTorch's Linear layout), b: [out].
 * GPT-2's Conv1D stores W as [in, out]: pass weight.t(), which costs no copy.
 * `activation`, when given, is applied to the result: inside the GEMM when no gradient is
 * needed and it is relu/gelu/geluNew (one pass over memory instead of two), else after it.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null, activation?: (x: Tensor) => Tensor): Tensor {
  // without gradients the weight is prepacked and the activation fused (no pre-activation to keep)
  const inference = !needsGrad(x, weight, bias);
  const fused = activation && inference ? EPILOGUE.get(activation) : undefined;
  const y = linearProduct(x, weight, bias, inference, fused);
  return activation && !fused ? activation(y) : y;
}

/**
 * Several linear layers applied to the same input: [x W_1^T + b_1, x W_2^T + b_2, ...], as
 * `linear` gives them one by one. When nothing needs a gradient the weights are stacked into one
 * [sum of out, in] matrix (kept while no weight changes) and multiplied in one product, whose
 * output is cut into views: one pass over x and larger blocks for the threads, as inference
 * engines fuse attention's query/key/value projections. Each element is the same dot product in
 * the same order as in its own product, so the results are identical.
 */
export function linearMany(x: Tensor, layers: readonly { weight: Tensor; bias?: Tensor | null }[]): Tensor[] {
  if (needsGrad(x, ...layers.flatMap((l) => [l.weight, l.bias])) || layers.length < 2) return layers.map((l) => linear(x, l.weight, l.bias));
  const { weight, bias } = stackedWeights(layers);
  const y = linear(x, weight, bias);
  let start = 0;
  return layers.map((l) => {
    const out = y.narrow(-1, start, l.weight.shape[0]);
    start += l.weight.shape[0];
    return out;
  });
}

/** The stacked weights of linearMany, per first weight's storage, rebuilt when any weight or bias changes. */
const stacked = new WeakMap<Storage, { sources: Tensor[]; versions: number[]; weight: Tensor; bias: Tensor | null }>();

function stackedWeights(layers: readonly { weight: Tensor; bias?: Tensor | null }[]): { weight: Tensor; bias: Tensor | null } {
  const sources = layers.flatMap((l) => (l.bias ? [l.weight, l.bias] : [l.weight]));
  const versions = sources.map((t) => t.storage.version);
  const cached = stacked.get(layers[0].weight.storage);
  if (cached && cached.sources.length === sources.length && cached.sources.every((t, i) => t === sources[i] && versions[i] === cached.versions[i])) {
    return cached;
  }
  const withBias = layers.every((l) => l.bias);
  if (!withBias && layers.some((l) => l.bias)) {
    throw new ShapeError('linearMany: either every layer has a bias or none does');
  }
  const weight = cat(layers.map((l) => l.weight.detach()), 0);
  const bias = withBias ? cat(layers.map((l) => l.bias!.detach()), 0) : null;
  stacked.set(layers[0].weight.storage, { sources, versions, weight, bias });
  return { weight, bias };
}

function linearProduct(x: Tensor, weight: Tensor, bias: Tensor | null | undefined, inference: boolean, activation?: 'relu' | 'gelu' | 'geluNew'): Tensor {
  const inFeatures = x.shape[x.ndim - 1];
  if (weight.ndim !== 2 || weight.shape[1] !== inFeatures) {
    throw new ShapeError(`linear: input ${fmt(x.shape)} needs a weight of shape [out, ${inFeatures}], got ${fmt(weight.shape)}`);
  }
  const outFeatures = weight.shape[0];
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new ShapeError(`linear: bias must have shape [${outFeatures}], got ${fmt(bias.shape)}`);
  }
  const leading = x.shape.slice(0, -1);
  const x2 = x.reshape([-1, inFeatures]);
  // W^T as a view the GEMM reads with a transpose flag; the gradient is recorded below, not here
  const wT = weight.detach().transpose(0, 1);
  const biasData = bias ? (bias.contiguousData() as Float32Array) : undefined;
  const y2 = batchedProduct(x2, wT, { ...(biasData ? { bias: biasData } : {}), ...(activation ? { activation } : {}) }, inference);
  const xs = new SavedTensor(x2, 'linear');
  const ws = new SavedTensor(weight, 'linear');
  const y = record(y2, 'AddmmBackward', [x2, weight, bias], (g) => [
    x2.requiresGrad ? batchedProduct(g, ws.get()) : null,
    weight.requiresGrad ? weightGrad(g, xs.get(), weight) : null,
    bias && bias.requiresGrad ? sum(g, 0) : null,
  ]);
  return y.reshape([...leading, outFeatures]);
}
