/**
 * Loader for the native kernels (native/, built by node-gyp at `npm ci` into
 * build/Release/kotoba_native.node) and the Backend object that calls them.
 *
 * The addon works in place on the typed arrays' memory. Numbers travel through one shared
 * Float64Array parameter block (`P`) that each wrapper fills before the call: a call then
 * passes only arrays, which keeps the cost of the thousands of small calls per training step low.
 * Cases the native kernels do not cover (int32 data, non-unit inner strides, ops without a native
 * kernel) go to the TypeScript reference kernels.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KotobaError } from '../errors.js';
import { referenceBackend } from './reference.js';
import type {
  ActivationOp, AdamWArgs, AnyArray, AttentionArgs, AttentionBackwardArgs, Backend, BinaryOp, GemmArgs, PackBArgs, ReduceOp, StridedView, UnaryOp,
} from './types.js';

/** The addon's exports (native/addon.cc); each comment gives the parameter block's layout. */
interface NativeModule {
  init(params: Float64Array, isa: string): { isa: string; threads: number };
  /** n = 0 only returns the count. */
  setNumThreads(n: number): number;
  /** Runs the FMA loop on every thread at once; returns the FLOPs done. */
  fmaPeak(iters: number): number;
  // P: batch m n k transA transB aOff lda strideA bOff ldb strideB cOff ldc strideC alpha beta act
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, bias: Float32Array | null, packedB: Float32Array | null): void;
  // P: k n
  packedBSize(): number;
  // P: k n transB bOff ldb
  packB(b: Float32Array, out: Float32Array): void;
  // P: batch heads tq tk d scale causal; views (offset s0 s1 s2 s3) at 10 q, 15 k, 20 v, 25 out, 30 mask, 35 bias, 40 gOut
  attention(q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array, mask: Float32Array | null,
    bias: Float32Array | null, probs: Float32Array | null, lse: Float32Array): void;
  attentionBackward(q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array, mask: Float32Array | null,
    bias: Float32Array | null, lse: Float32Array, gOut: Float32Array, gq: Float32Array, gk: Float32Array,
    gv: Float32Array, gBias: Float32Array | null): void;
  // P: rows cols log
  softmax(x: Float32Array, out: Float32Array): void;
  softmaxBackward(y: Float32Array, gy: Float32Array, gx: Float32Array): void;
  // P: rows cols eps
  layerNorm(x: Float32Array, w: Float32Array | null, b: Float32Array | null, out: Float32Array, mean: Float32Array, rstd: Float32Array): void;
  // P: rows cols
  layerNormBackward(x: Float32Array, w: Float32Array | null, mean: Float32Array, rstd: Float32Array, gy: Float32Array,
    gx: Float32Array, gw: Float32Array | null, gb: Float32Array | null): void;
  // P: rows cols eps
  rmsNorm(x: Float32Array, w: Float32Array | null, out: Float32Array, rstd: Float32Array): void;
  // P: rows cols
  rmsNormBackward(x: Float32Array, w: Float32Array | null, rstd: Float32Array, gy: Float32Array, gx: Float32Array, gw: Float32Array | null): void;
  // P: act n xOffset
  activation(x: Float32Array, out: Float32Array): void;
  // P: act n
  activationBackward(x: Float32Array, gy: Float32Array, gx: Float32Array): void;
  // P: rows cols ignoreIndex smoothing; returns the first bad row or -1
  crossEntropy(logits: Float32Array, targets: Int32Array, loss: Float32Array, lse: Float32Array): number;
  crossEntropyBackward(logits: Float32Array, lse: Float32Array, targets: Int32Array, gLoss: Float32Array, gx: Float32Array): void;
  // P: lr beta1 beta2 eps weightDecay step decoupled maximize
  adamw(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array): void;
  // Strided kernels — P: op nd shape[8] (at 2) p0/dstOffset (10) p1 (11) kept (12); operand o: offset and 8 strides at 16 + 9 o
  /** out: Float32Array, or Int32Array (0/1) for comparisons */
  binary(a: Float32Array, b: Float32Array, out: Float32Array | Int32Array): void;
  unary(x: Float32Array, out: Float32Array): void;
  where(cond: Float32Array | Int32Array, a: Float32Array, b: Float32Array, out: Float32Array): void;
  copy(x: Float32Array | Int32Array, out: Float32Array | Int32Array): void;
  /** false: max/min over an empty dim */
  reduce(x: Float32Array, out: Float32Array | Int32Array): boolean;
  // P: vocab dim; returns the first bad position or -1
  embedding(w: Float32Array, ids: Int32Array, out: Float32Array): number;
  // P: dim paddingIdx
  embeddingBackward(gy: Float32Array, ids: Int32Array, gw: Float32Array): void;
  // P: threshold keep
  dropoutMask(state: Uint32Array, out: Float32Array): void;
  normalFill(state: Uint32Array, out: Float32Array): number;
}

/** Op codes shared with native/strided.h. */
const BINARY: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, eq: 7, ne: 8, lt: 9, le: 10, gt: 11, ge: 12 };
const UNARY: Record<UnaryOp, number> = {
  neg: 0, exp: 1, log: 2, sqrt: 3, rsqrt: 4, tanh: 5, erf: 6, abs: 7, sigmoid: 8, sin: 9, cos: 10, relu: 11, gelu: 12,
  geluNew: 13, silu: 14, sign: 15, powScalar: 16, clamp: 17, affine: 18,
};
const REDUCE: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3, argmax: 4, argmin: 5 };
const MAX_DIMS = 8;

/** Activation codes shared with native/kernels.h. */
const ACT: Record<string, number> = { relu: 1, gelu: 2, geluNew: 3, silu: 4, sigmoid: 5, tanh: 6 };

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** KOTOBA_NATIVE_ADDON points elsewhere (the tests use it to check the fallback). */
const addonPath = process.env.KOTOBA_NATIVE_ADDON ?? join(root, 'build', 'Release', 'kotoba_native.node');
/** Written by scripts/native-build-failed.mjs when node-gyp failed at install. */
const failureNote = join(root, 'build', 'native-build-failed.txt');

let mod: NativeModule | null = null;
const P = new Float64Array(128);

/**
 * True when dims [from, to) of the view are laid out row-major with the innermost of them at
 * stride `innermostStride` (dims of size 1 may have any stride). The whole view with stride 1:
 * contiguous memory, what the SIMD row kernels take.
 */
export function isRowMajor(v: StridedView, from = 0, to = v.shape.length, innermostStride = 1): boolean {
  let expected = innermostStride;
  for (let d = to - 1; d >= from; d--) {
    if (v.shape[d] !== 1 && v.strides[d] !== expected) return false;
    expected *= v.shape[d];
  }
  return true;
}

/**
 * Writes the shape and the operands' offsets and strides for a strided kernel; false when the
 * native kernels cannot take them (too many dims, negative strides, not float32 memory).
 */
function putStrided(shape: readonly number[], views: StridedView[], firstMayBeInt = false): boolean {
  if (shape.length > MAX_DIMS) return false;
  P[1] = shape.length;
  for (let d = 0; d < shape.length; d++) P[2 + d] = shape[d];
  for (let o = 0; o < views.length; o++) {
    const v = views[o];
    const typeOk = v.data instanceof Float32Array || (o === 0 && firstMayBeInt && v.data instanceof Int32Array);
    if (!typeOk || v.shape.length !== shape.length) return false;
    const at = 16 + 9 * o;
    P[at] = v.offset;
    for (let d = 0; d < shape.length; d++) {
      if (v.strides[d] < 0) return false;
      P[at + 1 + d] = v.strides[d];
    }
  }
  return true;
}

function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Writes a 4-d view descriptor (offset, strides) at P[at]. */
function putView(at: number, v: StridedView<Float32Array> | undefined): void {
  if (!v) return;
  P[at] = v.offset;
  P[at + 1] = v.strides[0];
  P[at + 2] = v.strides[1];
  P[at + 3] = v.strides[2];
  P[at + 4] = v.strides[3];
}

/** The attention views' innermost strides must be 1 for the native kernel (the GEMMs read rows). */
function attentionNativeOk(a: AttentionArgs): boolean {
  return a.q.strides[3] === 1 && a.k.strides[3] === 1 && a.v.strides[3] === 1 && a.out.strides[3] === 1 &&
    a.q.strides.length === 4 && (!a.mask || a.mask.strides.length === 4) && (!a.bias || a.bias.strides.length === 4);
}

function putAttention(a: AttentionArgs | AttentionBackwardArgs): void {
  P[0] = a.batch; P[1] = a.heads; P[2] = a.tq; P[3] = a.tk; P[4] = a.headDim; P[5] = a.scale; P[6] = a.causal ? 1 : 0;
  putView(10, a.q); putView(15, a.k); putView(20, a.v); putView(25, a.out); putView(30, a.mask); putView(35, a.bias);
}

/**
 * assign for a destination whose rows (last dim) are contiguous, e.g. the gradient of a slice
 * written into a full-size tensor: one memory copy per row instead of an index walk per element.
 * `contiguous` gives src in row-major order when its rows are strided. False when it does not apply.
 */
function assignRows(src: StridedView, dst: StridedView, contiguous: (v: StridedView) => AnyArray): boolean {
  const nd = dst.shape.length;
  if (nd === 0 || nd > MAX_DIMS || dst.strides[nd - 1] !== 1 || dst.shape[nd - 1] < 16) return false;
  if (src.data.constructor !== dst.data.constructor || src.data.buffer === dst.data.buffer) return false;
  const inner = dst.shape[nd - 1];
  const rows = numel(dst.shape) / inner;
  let data = src.data, offset = src.offset, strides = src.strides;
  if (strides[nd - 1] !== 1 && inner > 1) {
    data = contiguous(src);
    offset = 0;
    strides = dst.shape.map((_, d) => numel(dst.shape.slice(d + 1)));
  }
  const index = new Array<number>(nd - 1).fill(0);
  let s = offset, d = dst.offset;
  for (let r = 0; r < rows; r++) {
    (dst.data as Float32Array).set(data.subarray(s, s + inner) as Float32Array, d);
    for (let k = nd - 2; k >= 0; k--) { // next row: odometer over the outer dims
      s += strides[k]; d += dst.strides[k];
      if (++index[k] < dst.shape[k]) break;
      s -= strides[k] * index[k]; d -= dst.strides[k] * index[k];
      index[k] = 0;
    }
  }
  return true;
}

/**
 * For a sum whose reduced dims lie outside its kept dims in memory — the view is a row-major
 * [rows, cols] matrix summed over its rows, as a bias's gradient is — the number of columns,
 * else 0. Such a sum is the product of a row of ones with the matrix: the GEMM's single-row
 * path reads the rows once, in order, on every thread, where the reduction kernel would walk
 * each column with a stride of cols.
 */
function rowSumColumns(x: StridedView, keptDims: number): number {
  if (!(x.data instanceof Float32Array)) return 0;
  const cols = numel(x.shape.slice(0, keptDims));
  if (cols < 16 || numel(x.shape) < 2 * cols) return 0;
  return isRowMajor(x, 0, keptDims) && isRowMajor(x, keptDims, x.shape.length, cols) ? cols : 0;
}

let ones = new Float32Array(0);
function onesOfLength(n: number): Float32Array {
  if (ones.length < n) ones = new Float32Array(n).fill(1);
  return ones;
}

function makeBackend(n: NativeModule, isa: string): Backend {
  const ref = referenceBackend;
  return {
    ...ref, // every kernel without a native version (or added to the interface later) runs on the reference
    name: 'native',
    isa,
    get threads() { return n.setNumThreads(0); },

    unary(op: UnaryOp, x, out, p0 = 0, p1 = 0) {
      const act = ACT[op];
      if (act !== undefined && isRowMajor(x)) { // the SIMD activation kernels
        P[0] = act; P[1] = numel(x.shape); P[2] = x.offset;
        n.activation(x.data, out);
      } else if (putStrided(x.shape, [x])) {
        P[0] = UNARY[op]; P[10] = p0; P[11] = p1;
        n.unary(x.data, out);
      } else ref.unary(op, x, out, p0, p1);
    },

    binary(op: BinaryOp, a, b, out) {
      const outOk = out instanceof Float32Array || BINARY[op] >= BINARY.eq; // comparisons may write int32 masks
      if (outOk && putStrided(b.shape, [a, b])) {
        P[0] = BINARY[op];
        n.binary(a.data as Float32Array, b.data as Float32Array, out);
      } else ref.binary(op, a, b, out);
    },

    where(cond, a, b, out) {
      if (out instanceof Float32Array && putStrided(b.shape, [cond, a, b], true)) {
        n.where(cond.data, a.data as Float32Array, b.data as Float32Array, out);
      } else ref.where(cond, a, b, out);
    },

    copy(src, dst, dstOffset) {
      // same element type: the 4-byte elements are moved as they are
      const same = (src.data instanceof Float32Array && dst instanceof Float32Array) || (src.data instanceof Int32Array && dst instanceof Int32Array);
      if (same && src.shape.length <= MAX_DIMS && src.strides.every((s) => s >= 0)) {
        P[1] = src.shape.length;
        for (let d = 0; d < src.shape.length; d++) { P[2 + d] = src.shape[d]; P[17 + d] = src.strides[d]; }
        P[16] = src.offset; P[10] = dstOffset;
        n.copy(src.data, dst);
      } else ref.copy(src, dst, dstOffset);
    },

    assign(src, dst) {
      const contiguous = (v: StridedView) => {
        const out = v.data instanceof Int32Array ? new Int32Array(numel(v.shape)) : new Float32Array(numel(v.shape));
        this.copy(v, out, 0);
        return out;
      };
      if (!assignRows(src, dst, contiguous)) ref.assign(src, dst);
    },

    reduce(op: ReduceOp, x, keptDims, out) {
      const cols = op === 'sum' ? rowSumColumns(x, keptDims) : 0;
      if (cols > 0) {
        const rows = numel(x.shape) / cols;
        this.gemm({
          batch: 1, m: 1, n: cols, k: rows, transA: false, transB: false,
          a: onesOfLength(rows), aOffset: 0, lda: rows, strideA: 0,
          b: x.data as Float32Array, bOffset: x.offset, ldb: cols, strideB: 0,
          c: out as Float32Array, cOffset: 0, ldc: cols, strideC: 0, alpha: 1, beta: 0,
        });
        return;
      }
      const argOp = op === 'argmax' || op === 'argmin';
      if ((argOp ? out instanceof Int32Array : out instanceof Float32Array) && putStrided(x.shape, [x])) {
        P[0] = REDUCE[op]; P[12] = keptDims;
        if (!n.reduce(x.data as Float32Array, out)) throw new KotobaError(`${op}: cannot reduce an empty dimension`);
      } else ref.reduce(op, x, keptDims, out);
    },

    activationBackward(op: ActivationOp, x, gy, gx) {
      P[0] = ACT[op]; P[1] = x.length;
      n.activationBackward(x, gy, gx);
    },

    gemm(g: GemmArgs) {
      P[0] = g.batch; P[1] = g.m; P[2] = g.n; P[3] = g.k; P[4] = g.transA ? 1 : 0; P[5] = g.transB ? 1 : 0;
      P[6] = g.aOffset; P[7] = g.lda; P[8] = g.strideA;
      P[9] = g.bOffset; P[10] = g.ldb; P[11] = g.strideB;
      P[12] = g.cOffset; P[13] = g.ldc; P[14] = g.strideC;
      P[15] = g.alpha; P[16] = g.beta; P[17] = g.activation ? ACT[g.activation] : 0;
      n.gemm(g.a, g.b, g.c, g.bias ?? null, g.packedB ?? null);
    },

    packB(g: PackBArgs) {
      P[0] = g.k; P[1] = g.n; P[2] = g.transB ? 1 : 0; P[3] = g.bOffset; P[4] = g.ldb;
      const out = new Float32Array(n.packedBSize());
      n.packB(g.b, out);
      return out;
    },

    softmax(x, rows, cols, out, log) {
      P[0] = rows; P[1] = cols; P[2] = log ? 1 : 0;
      n.softmax(x, out);
    },
    softmaxBackward(y, gy, rows, cols, gx, log) {
      P[0] = rows; P[1] = cols; P[2] = log ? 1 : 0;
      n.softmaxBackward(y, gy, gx);
    },

    layerNorm(x, weight, bias, rows, cols, eps, out, mean, rstd) {
      P[0] = rows; P[1] = cols; P[2] = eps;
      n.layerNorm(x, weight, bias, out, mean, rstd);
    },
    layerNormBackward(x, weight, mean, rstd, gy, rows, cols, gx, gWeight, gBias) {
      P[0] = rows; P[1] = cols;
      n.layerNormBackward(x, weight, mean, rstd, gy, gx, gWeight, gBias);
    },
    rmsNorm(x, weight, rows, cols, eps, out, rstd) {
      P[0] = rows; P[1] = cols; P[2] = eps;
      n.rmsNorm(x, weight, out, rstd);
    },
    rmsNormBackward(x, weight, rstd, gy, rows, cols, gx, gWeight) {
      P[0] = rows; P[1] = cols;
      n.rmsNormBackward(x, weight, rstd, gy, gx, gWeight);
    },

    embedding(weight, vocab, dim, ids, out) {
      P[0] = vocab; P[1] = dim;
      const bad = n.embedding(weight, ids, out);
      if (bad >= 0) {
        throw new KotobaError(`embedding: id ${ids[bad]} at position ${bad} is outside the vocabulary [0, ${vocab}); check the tokenizer matches the model`);
      }
    },
    embeddingBackward(gy, ids, dim, paddingIdx, gWeight) {
      P[0] = dim; P[1] = paddingIdx;
      n.embeddingBackward(gy, ids, gWeight);
    },

    dropoutMask(state, out, threshold, keep) {
      P[0] = threshold; P[1] = keep;
      n.dropoutMask(state, out);
    },
    normalFill(state, out, mean, std, spare) {
      P[0] = mean; P[1] = std; P[2] = spare;
      return n.normalFill(state, out);
    },

    crossEntropy(logits, rows, cols, targets, ignoreIndex, labelSmoothing, loss, lse) {
      P[0] = rows; P[1] = cols; P[2] = ignoreIndex; P[3] = labelSmoothing;
      const bad = n.crossEntropy(logits, targets, loss, lse);
      if (bad >= 0) {
        throw new KotobaError(`crossEntropy: target ${targets[bad]} at row ${bad} is outside [0, ${cols}) and is not ignoreIndex ${ignoreIndex}`);
      }
    },
    crossEntropyBackward(logits, lse, rows, cols, targets, ignoreIndex, labelSmoothing, gLoss, gx) {
      P[0] = rows; P[1] = cols; P[2] = ignoreIndex; P[3] = labelSmoothing;
      n.crossEntropyBackward(logits, lse, targets, gLoss, gx);
    },

    adamw(param, grad, expAvg, expAvgSq, a: AdamWArgs) {
      P[0] = a.lr; P[1] = a.beta1; P[2] = a.beta2; P[3] = a.eps; P[4] = a.weightDecay; P[5] = a.step;
      P[6] = a.decoupled ? 1 : 0; P[7] = a.maximize ? 1 : 0;
      n.adamw(param, grad, expAvg, expAvgSq);
    },

    attention(a: AttentionArgs) {
      if (!attentionNativeOk(a)) { ref.attention(a); return; }
      putAttention(a);
      n.attention(a.q.data, a.k.data, a.v.data, a.out.data, a.mask?.data ?? null, a.bias?.data ?? null, a.probs ?? null, a.lse);
    },
    attentionBackward(a: AttentionBackwardArgs) {
      if (!attentionNativeOk(a) || a.gOut.strides[3] !== 1) { ref.attentionBackward(a); return; }
      putAttention(a);
      putView(40, a.gOut);
      n.attentionBackward(a.q.data, a.k.data, a.v.data, a.out.data, a.mask?.data ?? null, a.bias?.data ?? null, a.lse,
        a.gOut.data, a.gq, a.gk, a.gv, a.gBias ?? null);
    },
  };
}

let cached: { backend: Backend } | { error: string } | null = null;

/**
 * Loads the addon once (KOTOBA_ISA=avx512|avx2|scalar picks a lower instruction set than the
 * best one; KOTOBA_NUM_THREADS the thread count). Returns the native backend, or the reason
 * it is unavailable.
 */
export function loadNativeBackend(): { backend: Backend } | { error: string } {
  if (cached) return cached;
  cached = load();
  return cached;
}

function load(): { backend: Backend } | { error: string } {
  if (!existsSync(addonPath)) {
    const why = existsSync(failureNote) ? readFileSync(failureNote, 'utf8').trim() : 'it was not built';
    return { error: `the native addon ${addonPath} is missing (${why}); rebuild it with \`npm rebuild kotoba\` or \`npx node-gyp rebuild\` (needs a C++17 compiler and make)` };
  }
  try {
    const m = createRequire(import.meta.url)(addonPath) as NativeModule;
    const info = m.init(P, process.env.KOTOBA_ISA ?? '');
    mod = m;
    return { backend: makeBackend(m, info.isa) };
  } catch (e) {
    return { error: `the native addon did not load: ${(e as Error).message}` };
  }
}

/** Sets the native kernels' thread count (>= 1); returns the count in effect (1 when native is off). */
export function setNumThreads(threads: number): number {
  if (!mod) loadNativeBackend();
  if (!mod) return 1;
  if (!Number.isInteger(threads) || threads < 1) throw new KotobaError(`setNumThreads: threads must be an integer >= 1, got ${threads}`);
  return mod.setNumThreads(threads);
}

/** Measures the FMA peak of the active ISA on all threads: GFLOP/s over `seconds` (for the bench). */
export function measureFmaPeak(seconds = 0.2): number {
  if (!mod) loadNativeBackend();
  if (!mod) return NaN;
  let iters = 1e5;
  for (;;) {
    const t0 = performance.now();
    const flops = mod.fmaPeak(iters);
    const dt = (performance.now() - t0) / 1e3;
    if (dt > seconds) return flops / dt / 1e9;
    iters *= dt > 0.01 ? Math.ceil(seconds / dt) : 10;
  }
}
