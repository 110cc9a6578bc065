/**
 * The reference backend: every kernel in plain TypeScript. Simple and readable on purpose — it is
 * the oracle the native kernels are tested against, and it runs anywhere Node runs.
 */
import { KotobaError } from '../errors.js';
import type {
  ActivationOp, AdamWArgs, AnyArray, AttentionArgs, AttentionBackwardArgs, Backend, BinaryOp, GemmArgs,
  ReduceOp, StridedView, UnaryOp,
} from './types.js';
import { erf, gelu, geluGrad, geluNew, geluNewGrad, sigmoid } from './scalar-math.js';
import { nextNormalPair, nextUint32 } from '../tensor/xoshiro.js';

/** Calls fn(srcIndex, i) for every element of a strided view, in row-major order (i = 0, 1, ...). */
export function forEachIndex(shape: readonly number[], strides: readonly number[], offset: number, fn: (src: number, i: number) => void): void {
  const nd = shape.length;
  let total = 1;
  for (const s of shape) total *= s;
  if (total === 0) return;
  if (nd === 0) { fn(offset, 0); return; }
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const lastSize = shape[last];
  const lastStride = strides[last];
  let base = offset;
  for (let i = 0; i < total; ) {
    let p = base;
    for (let j = 0; j < lastSize; j++, p += lastStride) fn(p, i++);
    // carry into the outer dims
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      base += strides[d];
      if (idx[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      idx[d] = 0;
      d--;
    }
  }
}

function unaryFn(op: UnaryOp, p0: number, p1: number): (x: number) => number {
  switch (op) {
    case 'neg': return (x) => -x;
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (x) => 1 / Math.sqrt(x);
    case 'tanh': return Math.tanh;
    case 'erf': return erf;
    case 'abs': return Math.abs;
    case 'sigmoid': return sigmoid;
    case 'sin': return Math.sin;
    case 'cos': return Math.cos;
    case 'sign': return (x) => (x > 0 ? 1 : x < 0 ? -1 : x);
    case 'relu': return (x) => (x > 0 ? x : 0);
    case 'gelu': return gelu;
    case 'geluNew': return geluNew;
    case 'silu': return (x) => x * sigmoid(x);
    case 'powScalar': return p0 === 2 ? (x) => x * x : (x) => Math.pow(x, p0);
    case 'clamp': return (x) => (x < p0 ? p0 : x > p1 ? p1 : x);
    case 'affine': return (x) => x * p0 + p1;
  }
}

function activationGrad(op: ActivationOp): (x: number) => number {
  switch (op) {
    case 'relu': return (x) => (x > 0 ? 1 : 0);
    case 'gelu': return geluGrad;
    case 'geluNew': return geluNewGrad;
    case 'silu': return (x) => { const s = sigmoid(x); return s * (1 + x * (1 - s)); };
    case 'sigmoid': return (x) => { const s = sigmoid(x); return s * (1 - s); };
    case 'tanh': return (x) => { const t = Math.tanh(x); return 1 - t * t; };
  }
}

function binaryFn(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'pow': return Math.pow;
    // NaN propagates, as in torch.maximum / torch.minimum
    case 'maximum': return (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b);
    case 'minimum': return (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b);
    case 'eq': return (a, b) => (a === b ? 1 : 0);
    case 'ne': return (a, b) => (a !== b ? 1 : 0);
    case 'lt': return (a, b) => (a < b ? 1 : 0);
    case 'le': return (a, b) => (a <= b ? 1 : 0);
    case 'gt': return (a, b) => (a > b ? 1 : 0);
    case 'ge': return (a, b) => (a >= b ? 1 : 0);
  }
}

function gatherStrided(v: StridedView): Float64Array {
  let n = 1;
  for (const s of v.shape) n *= s;
  const out = new Float64Array(n);
  forEachIndex(v.shape, v.strides, v.offset, (src, i) => { out[i] = v.data[src]; });
  return out;
}

function applyActivation(x: number, act: GemmArgs['activation']): number {
  if (act === 'relu') return x > 0 ? x : 0;
  if (act === 'gelu') return gelu(x);
  if (act === 'geluNew') return geluNew(x);
  return x;
}

/** Element (b, h, i, j) of an optional broadcast additive view, 0 when absent. */
function additive(view: StridedView<Float32Array> | undefined, b: number, h: number, i: number, j: number): number {
  if (!view) return 0;
  const s = view.strides;
  return view.data[view.offset + b * s[0] + h * s[1] + i * s[2] + j * s[3]];
}

/**
 * Scores of one (batch, head) attention block, before softmax: scale * q.k + mask + bias, with
 * causally hidden keys at -Infinity. Shared by forward and backward so they cannot disagree.
 */
function attentionScores(a: AttentionArgs, b: number, h: number): Float64Array {
  const { tq, tk, headDim: d, q, k } = a;
  const scores = new Float64Array(tq * tk);
  const past = tk - tq;
  for (let i = 0; i < tq; i++) {
    const qBase = q.offset + b * q.strides[0] + h * q.strides[1] + i * q.strides[2];
    for (let j = 0; j < tk; j++) {
      if (a.causal && j > i + past) { scores[i * tk + j] = -Infinity; continue; }
      const kBase = k.offset + b * k.strides[0] + h * k.strides[1] + j * k.strides[2];
      let dot = 0;
      for (let c = 0; c < d; c++) dot += q.data[qBase + c] * k.data[kBase + c];
      scores[i * tk + j] = a.scale * dot + additive(a.mask, b, h, i, j) + additive(a.bias, b, h, i, j);
    }
  }
  return scores;
}

/** Softmax of each row of `scores` in place; returns each row's log-sum-exp. */
function softmaxRowsInPlace(scores: Float64Array, rows: number, cols: number): Float64Array {
  const lse = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, scores[i * cols + j]);
    if (max === -Infinity) max = 0; // a fully hidden row gives zeros rather than NaN
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(scores[i * cols + j] - max);
      scores[i * cols + j] = e;
      sum += e;
    }
    const inv = sum > 0 ? 1 / sum : 0;
    for (let j = 0; j < cols; j++) scores[i * cols + j] *= inv;
    lse[i] = max + Math.log(sum);
  }
  return lse;
}

export const referenceBackend: Backend = {
  name: 'reference',
  isa: 'typescript',
  threads: 1,

  copy(src, dst, dstOffset) {
    const d = dst;
    forEachIndex(src.shape, src.strides, src.offset, (s, i) => { d[dstOffset + i] = src.data[s]; });
  },

  fill(dst, value, offset, length) {
    dst.fill(value, offset, offset + length);
  },

  packB() {
    return null; // the reference GEMM reads B where it is
  },

  assign(src, dst) {
    const values = gatherStrided(src);
    const d = dst.data;
    forEachIndex(dst.shape, dst.strides, dst.offset, (p, i) => { d[p] = values[i]; });
  },

  unary(op, x, out, p0 = 0, p1 = 0) {
    const f = unaryFn(op, p0, p1);
    forEachIndex(x.shape, x.strides, x.offset, (s, i) => { out[i] = f(x.data[s]); });
  },

  activationBackward(op, x, gy, gx) {
    const f = activationGrad(op);
    for (let i = 0; i < x.length; i++) gx[i] = gy[i] * f(x[i]);
  },

  binary(op, a, b, out) {
    const f = binaryFn(op);
    const av = gatherStrided(a);
    forEachIndex(b.shape, b.strides, b.offset, (s, i) => { out[i] = f(av[i], b.data[s]); });
  },

  where(cond, a, b, out) {
    const c = gatherStrided(cond);
    const av = gatherStrided(a);
    forEachIndex(b.shape, b.strides, b.offset, (s, i) => { out[i] = c[i] !== 0 ? av[i] : b.data[s]; });
  },

  reduce(op: ReduceOp, x, keptDims, out) {
    let inner = 1;
    for (let d = keptDims; d < x.shape.length; d++) inner *= x.shape[d];
    const values = gatherStrided(x);
    const outer = inner === 0 ? out.length : values.length / inner;
    for (let o = 0; o < outer; o++) {
      const base = o * inner;
      let acc: number;
      switch (op) {
        case 'sum': acc = 0; for (let i = 0; i < inner; i++) acc += values[base + i]; break;
        case 'prod': acc = 1; for (let i = 0; i < inner; i++) acc *= values[base + i]; break;
        case 'max': case 'min': {
          if (inner === 0) throw new KotobaError(`${op}: cannot reduce an empty dimension`);
          acc = values[base];
          for (let i = 1; i < inner; i++) {
            const v = values[base + i];
            if (v !== v) { acc = NaN; break; } // NaN wins, as in torch
            if (op === 'max' ? v > acc : v < acc) acc = v;
          }
          break;
        }
        case 'argmax': case 'argmin': {
          if (inner === 0) throw new KotobaError(`${op}: cannot reduce an empty dimension`);
          let best = values[base];
          acc = 0;
          for (let i = 1; i < inner; i++) {
            const v = values[base + i];
            if (best !== best) break;
            if (v !== v || (op === 'argmax' ? v > best : v < best)) { best = v; acc = i; }
          }
          break;
        }
      }
      out[o] = acc;
    }
  },

  cumsum(x, rows, cols, out) {
    for (let r = 0; r < rows; r++) {
      let acc = 0;
      for (let c = 0; c < cols; c++) { acc += x[r * cols + c]; out[r * cols + c] = acc; }
    }
  },

  gather(src, index, dim, out) {
    const size = src.shape[dim];
    const idx = gatherStrided(index);
    const nd = index.shape.length;
    const pos = new Array<number>(nd).fill(0);
    for (let i = 0; i < idx.length; i++) {
      // decompose flat i into the index's multi-index
      let rem = i;
      for (let d = nd - 1; d >= 0; d--) { pos[d] = rem % index.shape[d]; rem = Math.floor(rem / index.shape[d]); }
      const j = idx[i];
      if (j < 0 || j >= size) throw new KotobaError(`gather: index ${j} is out of range for dimension ${dim} of size ${size}`);
      let p = src.offset;
      for (let d = 0; d < nd; d++) p += (d === dim ? j : pos[d]) * src.strides[d];
      out[i] = src.data[p];
    }
  },

  scatterAdd(grad, index, dim, out, outShape) {
    const idx = gatherStrided(index);
    const nd = index.shape.length;
    const outStrides = new Array<number>(nd);
    let acc = 1;
    for (let d = nd - 1; d >= 0; d--) { outStrides[d] = acc; acc *= outShape[d]; }
    const pos = new Array<number>(nd).fill(0);
    for (let i = 0; i < idx.length; i++) {
      let rem = i;
      for (let d = nd - 1; d >= 0; d--) { pos[d] = rem % index.shape[d]; rem = Math.floor(rem / index.shape[d]); }
      let p = 0;
      for (let d = 0; d < nd; d++) p += (d === dim ? idx[i] : pos[d]) * outStrides[d];
      out[p] += grad[i];
    }
  },

  sort(x, rows, cols, descending, values, indices) {
    const order = new Array<number>(cols);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) order[c] = c;
      const key = (c: number) => { const v = x[base + c]; return v !== v ? Infinity : v; };
      const isNaN = (c: number) => x[base + c] !== x[base + c];
      order.sort((i, j) => {
        // NaN is the largest value; ties keep index order (Array.prototype.sort is stable)
        const ni = isNaN(i), nj = isNaN(j);
        if (ni || nj) return ni === nj ? 0 : (ni ? 1 : -1) * (descending ? -1 : 1);
        const d = key(i) - key(j);
        return descending ? -d : d;
      });
      for (let c = 0; c < cols; c++) { values[base + c] = x[base + order[c]]; indices[base + c] = order[c]; }
    }
  },

  topk(x, rows, cols, k, largest, values, indices) {
    // A heap of the k best seen so far (its root is the worst of them): O(cols log k) per row.
    // "Better" means larger (or smaller), NaN counting as the largest, ties going to the lower index.
    const heap = new Int32Array(k);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const better = (i: number, j: number): boolean => {
        const a = x[base + i], b = x[base + j];
        const aNaN = a !== a, bNaN = b !== b;
        if (aNaN || bNaN) return aNaN === bNaN ? i < j : aNaN === largest;
        if (a !== b) return largest ? a > b : a < b;
        return i < j;
      };
      const siftDown = (size: number) => {
        let at = 0;
        for (;;) {
          const l = 2 * at + 1, rr = l + 1;
          let worst = at;
          if (l < size && better(heap[worst], heap[l])) worst = l;
          if (rr < size && better(heap[worst], heap[rr])) worst = rr;
          if (worst === at) return;
          const t = heap[at]; heap[at] = heap[worst]; heap[worst] = t;
          at = worst;
        }
      };
      let size = 0;
      for (let c = 0; c < cols && k > 0; c++) {
        if (size < k) {
          // sift up: parents are worse than (or as bad as) their children
          let at = size++;
          heap[at] = c;
          while (at > 0) {
            const parent = (at - 1) >> 1;
            if (!better(heap[parent], heap[at])) break;
            const t = heap[at]; heap[at] = heap[parent]; heap[parent] = t;
            at = parent;
          }
        } else if (better(c, heap[0])) {
          heap[0] = c;
          siftDown(size);
        }
      }
      const best = Array.from(heap.subarray(0, size)).sort((i, j) => (better(i, j) ? -1 : 1));
      best.forEach((c, i) => { values[r * k + i] = x[base + c]; indices[r * k + i] = c; });
    }
  },

  gemm(g: GemmArgs) {
    const { m, n, k } = g;
    const row = new Float64Array(n);
    for (let bt = 0; bt < g.batch; bt++) {
      const aBase = g.aOffset + bt * g.strideA;
      const bBase = g.bOffset + bt * g.strideB;
      const cBase = g.cOffset + bt * g.strideC;
      for (let i = 0; i < m; i++) {
        row.fill(0);
        if (g.transB) {
          // B stored n x k: each output is a dot product of two contiguous rows
          for (let j = 0; j < n; j++) {
            const bRow = bBase + j * g.ldb;
            let dot = 0;
            for (let p = 0; p < k; p++) {
              dot += (g.transA ? g.a[aBase + p * g.lda + i] : g.a[aBase + i * g.lda + p]) * g.b[bRow + p];
            }
            row[j] = dot;
          }
        } else {
          for (let p = 0; p < k; p++) {
            const aip = g.transA ? g.a[aBase + p * g.lda + i] : g.a[aBase + i * g.lda + p];
            const bRow = bBase + p * g.ldb;
            for (let j = 0; j < n; j++) row[j] += aip * g.b[bRow + j];
          }
        }
        const cRow = cBase + i * g.ldc;
        for (let j = 0; j < n; j++) {
          let v = g.alpha * row[j];
          if (g.beta !== 0) v += g.beta * g.c[cRow + j];
          if (g.bias) v += g.bias[j];
          g.c[cRow + j] = applyActivation(v, g.activation);
        }
      }
    }
  },

  softmax(x, rows, cols, out, log) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let max = -Infinity;
      for (let c = 0; c < cols; c++) if (x[base + c] > max) max = x[base + c];
      if (max === -Infinity) max = 0;
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += Math.exp(x[base + c] - max);
      if (log) {
        const lse = max + Math.log(sum);
        for (let c = 0; c < cols; c++) out[base + c] = x[base + c] - lse;
      } else {
        for (let c = 0; c < cols; c++) out[base + c] = Math.exp(x[base + c] - max) / sum;
      }
    }
  },

  softmaxBackward(y, gy, rows, cols, gx, log) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let dot = 0;
      if (log) {
        // y = log p: gx = gy - p * sum(gy)
        for (let c = 0; c < cols; c++) dot += gy[base + c];
        for (let c = 0; c < cols; c++) gx[base + c] = gy[base + c] - Math.exp(y[base + c]) * dot;
      } else {
        // gx = p * (gy - sum(gy * p))
        for (let c = 0; c < cols; c++) dot += gy[base + c] * y[base + c];
        for (let c = 0; c < cols; c++) gx[base + c] = y[base + c] * (gy[base + c] - dot);
      }
    }
  },

  layerNorm(x, weight, bias, rows, cols, eps, out, mean, rstd) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let mu = 0;
      for (let c = 0; c < cols; c++) mu += x[base + c];
      mu /= cols;
      let v = 0;
      for (let c = 0; c < cols; c++) { const d = x[base + c] - mu; v += d * d; }
      const rs = 1 / Math.sqrt(v / cols + eps);
      mean[r] = mu;
      rstd[r] = rs;
      for (let c = 0; c < cols; c++) {
        let y = (x[base + c] - mu) * rs;
        if (weight) y *= weight[c];
        if (bias) y += bias[c];
        out[base + c] = y;
      }
    }
  },

  layerNormBackward(x, weight, mean, rstd, gy, rows, cols, gx, gWeight, gBias) {
    const gw = gWeight ? new Float64Array(cols) : null;
    const gb = gBias ? new Float64Array(cols) : null;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const mu = mean[r];
      const rs = rstd[r];
      // with xhat = (x - mu) * rs and g = gy * w: gx = rs * (g - mean(g) - xhat * mean(g * xhat))
      let sumG = 0;
      let sumGX = 0;
      for (let c = 0; c < cols; c++) {
        const xhat = (x[base + c] - mu) * rs;
        const g = gy[base + c] * (weight ? weight[c] : 1);
        sumG += g;
        sumGX += g * xhat;
        if (gw) gw[c] += gy[base + c] * xhat;
        if (gb) gb[c] += gy[base + c];
      }
      const meanG = sumG / cols;
      const meanGX = sumGX / cols;
      for (let c = 0; c < cols; c++) {
        const xhat = (x[base + c] - mu) * rs;
        const g = gy[base + c] * (weight ? weight[c] : 1);
        gx[base + c] = rs * (g - meanG - xhat * meanGX);
      }
    }
    if (gWeight && gw) for (let c = 0; c < cols; c++) gWeight[c] = gw[c];
    if (gBias && gb) for (let c = 0; c < cols; c++) gBias[c] = gb[c];
  },

  rmsNorm(x, weight, rows, cols, eps, out, rstd) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let ms = 0;
      for (let c = 0; c < cols; c++) ms += x[base + c] * x[base + c];
      const rs = 1 / Math.sqrt(ms / cols + eps);
      rstd[r] = rs;
      for (let c = 0; c < cols; c++) out[base + c] = x[base + c] * rs * (weight ? weight[c] : 1);
    }
  },

  rmsNormBackward(x, weight, rstd, gy, rows, cols, gx, gWeight) {
    const gw = gWeight ? new Float64Array(cols) : null;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const rs = rstd[r];
      // y = x * rs * w: gx = rs * (g - xhat * mean(g * xhat)), g = gy * w, xhat = x * rs
      let sumGX = 0;
      for (let c = 0; c < cols; c++) {
        const xhat = x[base + c] * rs;
        sumGX += gy[base + c] * (weight ? weight[c] : 1) * xhat;
        if (gw) gw[c] += gy[base + c] * xhat;
      }
      const meanGX = sumGX / cols;
      for (let c = 0; c < cols; c++) {
        const xhat = x[base + c] * rs;
        gx[base + c] = rs * (gy[base + c] * (weight ? weight[c] : 1) - xhat * meanGX);
      }
    }
    if (gWeight && gw) for (let c = 0; c < cols; c++) gWeight[c] = gw[c];
  },

  embedding(weight, vocab, dim, ids, out) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id < 0 || id >= vocab) {
        throw new KotobaError(`embedding: id ${id} at position ${i} is outside the vocabulary [0, ${vocab}); check the tokenizer matches the model`);
      }
      out.set(weight.subarray(id * dim, id * dim + dim), i * dim);
    }
  },

  embeddingBackward(gy, ids, dim, paddingIdx, gWeight) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === paddingIdx) continue;
      const w = id * dim;
      const g = i * dim;
      for (let c = 0; c < dim; c++) gWeight[w + c] += gy[g + c];
    }
  },

  dropoutMask(state, out, threshold, keep) {
    for (let i = 0; i < out.length; i++) out[i] = nextUint32(state) >= threshold ? keep : 0;
  },

  normalFill(state, out, mean, std, spare) {
    const pair = new Float64Array(2);
    let i = 0;
    if (out.length > 0 && !Number.isNaN(spare)) {
      out[i++] = mean + std * spare;
      spare = NaN;
    }
    while (i < out.length) {
      nextNormalPair(state, pair);
      out[i++] = mean + std * pair[0];
      if (i < out.length) out[i++] = mean + std * pair[1];
      else spare = pair[1];
    }
    return spare;
  },

  crossEntropy(logits, rows, cols, targets, ignoreIndex, labelSmoothing, loss, lse) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let max = -Infinity;
      for (let c = 0; c < cols; c++) if (logits[base + c] > max) max = logits[base + c];
      let sum = 0;
      let sumLogits = 0;
      for (let c = 0; c < cols; c++) { sum += Math.exp(logits[base + c] - max); sumLogits += logits[base + c]; }
      const l = max + Math.log(sum);
      lse[r] = l;
      const t = targets[r];
      if (t === ignoreIndex) { loss[r] = 0; continue; }
      if (t < 0 || t >= cols) throw new KotobaError(`crossEntropy: target ${t} at row ${r} is outside [0, ${cols}) and is not ignoreIndex ${ignoreIndex}`);
      const nll = l - logits[base + t];
      // mean over classes of -log p_c = lse - mean(logits)
      loss[r] = labelSmoothing > 0 ? (1 - labelSmoothing) * nll + labelSmoothing * (l - sumLogits / cols) : nll;
    }
  },

  crossEntropyBackward(logits, lse, rows, cols, targets, ignoreIndex, labelSmoothing, gLoss, gx) {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const t = targets[r];
      if (t === ignoreIndex) { gx.fill(0, base, base + cols); continue; }
      const g = gLoss[r];
      const l = lse[r];
      const smooth = labelSmoothing / cols;
      for (let c = 0; c < cols; c++) gx[base + c] = g * (Math.exp(logits[base + c] - l) - smooth);
      gx[base + t] -= g * (1 - labelSmoothing);
    }
  },

  adamw(param, grad, m, v, a: AdamWArgs) {
    const bc1 = 1 - Math.pow(a.beta1, a.step);
    const bc2 = 1 - Math.pow(a.beta2, a.step);
    const stepSize = a.lr / bc1;
    const bc2Sqrt = Math.sqrt(bc2);
    for (let i = 0; i < param.length; i++) {
      let g = a.maximize ? -grad[i] : grad[i];
      if (a.decoupled) param[i] *= 1 - a.lr * a.weightDecay;
      else if (a.weightDecay !== 0) g += a.weightDecay * param[i];
      m[i] = a.beta1 * m[i] + (1 - a.beta1) * g;
      v[i] = a.beta2 * v[i] + (1 - a.beta2) * g * g;
      param[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / bc2Sqrt + a.eps);
    }
  },

  attention(a: AttentionArgs) {
    const { batch, heads, tq, tk, headDim: d, v, out } = a;
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const p = attentionScores(a, b, h);
        const lse = softmaxRowsInPlace(p, tq, tk);
        for (let i = 0; i < tq; i++) {
          a.lse[(b * heads + h) * tq + i] = lse[i];
          if (a.probs) for (let j = 0; j < tk; j++) a.probs[((b * heads + h) * tq + i) * tk + j] = p[i * tk + j];
          const oBase = out.offset + b * out.strides[0] + h * out.strides[1] + i * out.strides[2];
          for (let c = 0; c < d; c++) {
            let acc = 0;
            for (let j = 0; j < tk; j++) acc += p[i * tk + j] * v.data[v.offset + b * v.strides[0] + h * v.strides[1] + j * v.strides[2] + c];
            out.data[oBase + c] = acc;
          }
        }
      }
    }
  },

  attentionBackward(a: AttentionBackwardArgs) {
    const { batch, heads, tq, tk, headDim: d, q, k, v, gOut } = a;
    if (a.gBias) a.gBias.fill(0);
    const at = (view: StridedView<Float32Array>, b: number, h: number, i: number) =>
      view.offset + b * view.strides[0] + h * view.strides[1] + i * view.strides[2];
    for (let b = 0; b < batch; b++) {
      for (let h = 0; h < heads; h++) {
        const p = attentionScores(a, b, h);
        softmaxRowsInPlace(p, tq, tk);
        const gqBase = ((b * heads + h) * tq) * d;
        const gkBase = ((b * heads + h) * tk) * d;
        a.gq.fill(0, gqBase, gqBase + tq * d);
        a.gk.fill(0, gkBase, gkBase + tk * d);
        a.gv.fill(0, gkBase, gkBase + tk * d);
        for (let i = 0; i < tq; i++) {
          const go = at(gOut, b, h, i);
          // dP[j] = gOut_i . v_j ; dS = P * (dP - sum(P * dP))
          const dp = new Float64Array(tk);
          let rowDot = 0;
          for (let j = 0; j < tk; j++) {
            const vj = at(v, b, h, j);
            let s = 0;
            for (let c = 0; c < d; c++) s += gOut.data[go + c] * v.data[vj + c];
            dp[j] = s;
            rowDot += p[i * tk + j] * s;
          }
          for (let j = 0; j < tk; j++) {
            const pij = p[i * tk + j];
            if (pij === 0) continue;
            const ds = pij * (dp[j] - rowDot);
            const kj = at(k, b, h, j);
            const qi = at(q, b, h, i);
            for (let c = 0; c < d; c++) {
              a.gv[gkBase + j * d + c] += pij * gOut.data[go + c];
              a.gq[gqBase + i * d + c] += a.scale * ds * k.data[kj + c];
              a.gk[gkBase + j * d + c] += a.scale * ds * q.data[qi + c];
            }
            if (a.gBias) a.gBias[(h * tq + i) * tk + j] += ds;
          }
        }
      }
    }
  },
};
