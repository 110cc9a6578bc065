/**
 * The one kernel interface (DESIGN.md, "Layers"). Every numeric loop of Kotoba goes through it.
 *
 * Kernels take typed arrays, shapes and strides — never Tensor objects — so that the TypeScript
 * reference kernels (reference.ts, the oracle) and the native SIMD kernels (native/) are
 * interchangeable. Conventions shared by every kernel:
 *
 * - Inputs described by a `StridedView` may be non-contiguous (transposed, expanded with stride 0,
 *   sliced). Outputs are plain arrays written contiguously (row-major) unless stated otherwise.
 * - "rows x cols" kernels work on the last dimension of a contiguous array: `rows` vectors of
 *   length `cols`.
 * - Backward kernels overwrite their gradient outputs (autograd does the accumulation), except
 *   where a kernel says it accumulates (embedding scatter-add).
 * - Nothing is allocated across the boundary: the caller allocates every output.
 */

export type DType = 'float32' | 'int32';
export type AnyArray = Float32Array | Int32Array;

/** A strided view of typed-array memory: element (i0, i1, ...) is data[offset + sum(i_k * strides[k])]. */
export interface StridedView<A extends AnyArray = AnyArray> {
  data: A;
  offset: number;
  shape: readonly number[];
  strides: readonly number[];
}

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'tanh' | 'erf' | 'abs' | 'sigmoid' | 'sin' | 'cos'
  | 'relu' | 'gelu' | 'geluNew' | 'silu' | 'sign'
  /** x ** p0 */
  | 'powScalar'
  /** min(max(x, p0), p1); use -Infinity / Infinity for a one-sided clamp */
  | 'clamp'
  /** x * p0 + p1 */
  | 'affine';

/** Activations with a fused backward kernel: gx = gy * f'(x). */
export type ActivationOp = 'relu' | 'gelu' | 'geluNew' | 'silu' | 'sigmoid' | 'tanh';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin';

/**
 * Batched general matrix multiply, C[b] = alpha * op(A[b]) @ op(B[b]) + beta * C[b] (+ bias, activation).
 * op(A) is m x k, op(B) is k x n, C is m x n. Matrices are row-major with leading dimensions
 * lda/ldb/ldc; batch b starts at offset + b * stride (stride 0 broadcasts one matrix to all batches).
 * With transA, A is stored k x m (so op(A) = A^T); likewise transB.
 */
export interface GemmArgs {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  a: Float32Array; aOffset: number; lda: number; strideA: number;
  b: Float32Array; bOffset: number; ldb: number; strideB: number;
  c: Float32Array; cOffset: number; ldc: number; strideC: number;
  alpha: number;
  /** 0 overwrites C (its old contents are ignored, even NaN), 1 accumulates. */
  beta: number;
  /** Length n, added to every row of C after the product (the Linear layer's epilogue). */
  bias?: Float32Array;
  /** Applied last, elementwise. */
  activation?: 'relu' | 'gelu' | 'geluNew';
  /**
   * op(B) as this backend's packB returned it (batch 1 only): the product reads it instead of
   * packing B again. `b` must still describe the same matrix (a backend may ignore packedB).
   */
  packedB?: Float32Array;
}

/** A matrix op(B) (k x n) to pack once for GemmArgs.packedB: a weight reused by many products. */
export interface PackBArgs {
  b: Float32Array; bOffset: number; ldb: number;
  k: number; n: number; transB: boolean;
}

/**
 * Scaled dot-product attention over [batch, heads, seq, headDim] views:
 * out = softmax(scale * q k^T + mask + bias, causal) v.
 * q: [B, H, tq, D], k/v: [B, H, tk, D], out: [B, H, tq, D] — all strided (innermost stride 1).
 * `mask` and `bias` are additive views of shape [B, H, tq, tk], broadcast dims having stride 0
 * (a padding mask is typically [B, 1, 1, tk] expanded; T5's position bias [1, H, tq, tk] expanded).
 * With `causal`, query i (0-based) sees keys j <= i + (tk - tq) (the cached past comes first).
 * `probs` (contiguous [B, H, tq, tk]) receives the attention probabilities when given;
 * `lse` (contiguous [B, H, tq]) receives each row's log-sum-exp, which the backward pass needs.
 */
export interface AttentionArgs {
  batch: number;
  heads: number;
  tq: number;
  tk: number;
  headDim: number;
  q: StridedView<Float32Array>;
  k: StridedView<Float32Array>;
  v: StridedView<Float32Array>;
  out: StridedView<Float32Array>;
  scale: number;
  causal: boolean;
  mask?: StridedView<Float32Array>;
  bias?: StridedView<Float32Array>;
  probs?: Float32Array;
  lse: Float32Array;
}

/**
 * Gradients of attention. gq/gk/gv are contiguous [B, H, t, D] and overwritten. `gBias`, when
 * given, is contiguous [H, tq, tk] and receives d loss / d bias summed over the batch
 * (T5's position bias is trained).
 */
export interface AttentionBackwardArgs extends Omit<AttentionArgs, 'probs'> {
  gOut: StridedView<Float32Array>;
  gq: Float32Array;
  gk: Float32Array;
  gv: Float32Array;
  gBias?: Float32Array;
}

export interface AdamWArgs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count, for bias correction. */
  step: number;
  /** true: AdamW (p *= 1 - lr*wd); false: Adam with L2 (g += wd * p). */
  decoupled: boolean;
  maximize: boolean;
}

export interface Backend {
  readonly name: string;
  /** Instruction set in use ('typescript' for the reference backend). */
  readonly isa: string;
  readonly threads: number;

  /** Copies a strided view into a contiguous array (any dtype to the same dtype, or int32 <-> float32). */
  copy(src: StridedView, dst: AnyArray, dstOffset: number): void;
  fill(dst: AnyArray, value: number, offset: number, length: number): void;
  /** Writes src into the (possibly strided) destination view of the same shape: dst[idx] = src[idx]. */
  assign(src: StridedView, dst: StridedView): void;

  unary(op: UnaryOp, x: StridedView<Float32Array>, out: Float32Array, p0?: number, p1?: number): void;
  activationBackward(op: ActivationOp, x: Float32Array, gy: Float32Array, gx: Float32Array): void;
  /** a and b are already broadcast to the output shape (stride 0 on expanded dims). */
  binary(op: BinaryOp, a: StridedView, b: StridedView, out: AnyArray): void;
  /** out = cond != 0 ? a : b, all broadcast to the output shape. */
  where(cond: StridedView, a: StridedView, b: StridedView, out: AnyArray): void;
  /**
   * Reduces the trailing dims of x: the first `keptDims` dims are kept, the rest are reduced.
   * argmax/argmin write the flat index within the reduced block into an Int32Array (first one on ties).
   */
  reduce(op: ReduceOp, x: StridedView, keptDims: number, out: AnyArray): void;
  /** Inclusive prefix sum along the last dim of a contiguous [rows, cols] array. */
  cumsum(x: AnyArray, rows: number, cols: number, out: AnyArray): void;
  /**
   * out[i0..in] = src[i0.., index[i0..in], ..in] with the index replacing dimension `dim`
   * (torch.gather). index and out share a shape; src has the same rank. Throws a KotobaError for
   * an index outside [0, src.shape[dim]).
   */
  gather(src: StridedView, index: StridedView<Int32Array>, dim: number, out: AnyArray): void;
  /** The adjoint of gather: out[..., index[...], ...] += grad[...] (out contiguous with src's shape, accumulates). */
  scatterAdd(grad: Float32Array, index: StridedView<Int32Array>, dim: number, out: Float32Array, outShape: readonly number[]): void;
  /** Stable sort of each row of a contiguous [rows, cols] array; NaN sorts as the largest value. */
  sort(x: AnyArray, rows: number, cols: number, descending: boolean, values: AnyArray, indices: Int32Array): void;
  /** The k largest (or smallest) of each row, in sorted order, ties by lower index first. */
  topk(x: AnyArray, rows: number, cols: number, k: number, largest: boolean, values: AnyArray, indices: Int32Array): void;

  gemm(args: GemmArgs): void;
  /** op(B) packed for GemmArgs.packedB, or null when this backend does not pack. */
  packB(args: PackBArgs): Float32Array | null;

  softmax(x: Float32Array, rows: number, cols: number, out: Float32Array, log: boolean): void;
  softmaxBackward(y: Float32Array, gy: Float32Array, rows: number, cols: number, gx: Float32Array, log: boolean): void;

  layerNorm(
    x: Float32Array, weight: Float32Array | null, bias: Float32Array | null, rows: number, cols: number, eps: number,
    out: Float32Array, mean: Float32Array, rstd: Float32Array,
  ): void;
  layerNormBackward(
    x: Float32Array, weight: Float32Array | null, mean: Float32Array, rstd: Float32Array, gy: Float32Array,
    rows: number, cols: number, gx: Float32Array, gWeight: Float32Array | null, gBias: Float32Array | null,
  ): void;
  rmsNorm(x: Float32Array, weight: Float32Array | null, rows: number, cols: number, eps: number, out: Float32Array, rstd: Float32Array): void;
  rmsNormBackward(
    x: Float32Array, weight: Float32Array | null, rstd: Float32Array, gy: Float32Array, rows: number, cols: number,
    gx: Float32Array, gWeight: Float32Array | null,
  ): void;

  /** out[i, :] = weight[ids[i], :]; throws a KotobaError for an id outside [0, vocab). */
  embedding(weight: Float32Array, vocab: number, dim: number, ids: Int32Array, out: Float32Array): void;
  /** gWeight[ids[i], :] += gy[i, :] (accumulates), skipping ids equal to paddingIdx (-1 for none). */
  embeddingBackward(gy: Float32Array, ids: Int32Array, dim: number, paddingIdx: number, gWeight: Float32Array): void;

  /**
   * out[i] = keep where the i-th 32-bit draw of the xoshiro128** generator whose state is `state`
   * is at least `threshold` (an integer in [0, 2^32]), else 0; advances `state` by out.length draws
   * (the stream of Generator.nextUint32, src/tensor/xoshiro.ts).
   */
  dropoutMask(state: Uint32Array, out: Float32Array, threshold: number, keep: number): void;

  /**
   * out[i] = mean + std * z_i, where z are the standard normals of Generator.normal drawn from
   * `state` (src/tensor/xoshiro.ts: Box-Muller pairs), starting with `spare` unless it is NaN.
   * Advances `state`; returns the unused second half of the last pair, or NaN.
   */
  normalFill(state: Uint32Array, out: Float32Array, mean: number, std: number, spare: number): number;

  /**
   * Cross-entropy per row of logits [rows, cols] against class targets; rows whose target is
   * ignoreIndex get loss 0. With label smoothing eps: loss = (1-eps) * nll + eps * mean_c(-logp_c).
   * Writes each row's log-sum-exp into lse for the backward pass.
   */
  crossEntropy(
    logits: Float32Array, rows: number, cols: number, targets: Int32Array, ignoreIndex: number, labelSmoothing: number,
    loss: Float32Array, lse: Float32Array,
  ): void;
  /** gx[r, :] = gLoss[r] * d loss_r / d logits[r, :]. */
  crossEntropyBackward(
    logits: Float32Array, lse: Float32Array, rows: number, cols: number, targets: Int32Array, ignoreIndex: number,
    labelSmoothing: number, gLoss: Float32Array, gx: Float32Array,
  ): void;

  /** One optimizer step on one parameter, in place on param, expAvg, expAvgSq. */
  adamw(param: Float32Array, grad: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, args: AdamWArgs): void;

  attention(args: AttentionArgs): void;
  attentionBackward(args: AttentionBackwardArgs): void;
}
