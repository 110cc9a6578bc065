/**
 * Scaled dot-product attention (Vaswani et al., 2017): softmax(scale * Q K^T + mask + bias) V,
 * fused in one kernel so the [tq, tk] score matrix need not be stored (unless the caller wants
 * the attention probabilities, e.g. to show them).
 */
import { getBackend } from '../../backend/index.js';
import type { StridedView } from '../../backend/types.js';
import { ShapeError } from '../../errors.js';
import { record, SavedTensor } from '../autograd.js';
import { fmt } from '../shape.js';
import { allocateUninitialized, Tensor } from '../tensor.js';
import { broadcastView, sumToShape } from './elementwise.js';

export interface AttentionOptions {
  /** Additive mask broadcastable to [B, H, tq, tk] (0 = keep, a large negative number = hide). No gradient. */
  mask?: Tensor | null;
  /** Additive bias broadcastable to [B, H, tq, tk] with batch dim 1 (T5's position bias). Receives a gradient. */
  bias?: Tensor | null;
  /** Hide keys after each query's position (with a cache, the past keys come first). */
  causal?: boolean;
  /** Defaults to 1 / sqrt(headDim); T5 uses 1. */
  scale?: number;
  /** Also return the attention probabilities [B, H, tq, tk] (not differentiable). */
  returnProbs?: boolean;
}

function attentionView(t: Tensor): StridedView<Float32Array> {
  const c = t.strides[3] === 1 || t.shape[3] === 1 ? t : t.contiguous();
  return c.strided as StridedView<Float32Array>;
}

/** q: [B, H, tq, D], k and v: [B, H, tk, D]. Returns output [B, H, tq, D] (and probs). */
export function scaledDotProductAttention(
  q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {},
): { output: Tensor; probs: Tensor | null } {
  if (q.ndim !== 4 || k.ndim !== 4 || v.ndim !== 4) {
    throw new ShapeError(`attention: q, k, v must be [batch, heads, seq, headDim], got ${fmt(q.shape)}, ${fmt(k.shape)}, ${fmt(v.shape)}`);
  }
  const [B, H, tq, D] = q.shape;
  const tk = k.shape[2];
  if (k.shape[0] !== B || k.shape[1] !== H || k.shape[3] !== D || v.shape[0] !== B || v.shape[1] !== H || v.shape[2] !== tk || v.shape[3] !== D) {
    throw new ShapeError(`attention: k ${fmt(k.shape)} and v ${fmt(v.shape)} do not match q ${fmt(q.shape)}`);
  }
  const full = [B, H, tq, tk];
  const { mask, bias } = options;
  if (bias && bias.requiresGrad && bias.ndim === 4 && bias.shape[0] !== 1) {
    throw new ShapeError(`attention: a bias that needs a gradient must have batch dim 1, got ${fmt(bias.shape)}`);
  }
  const maskView = mask ? (broadcastView(mask.float(), full) as StridedView<Float32Array>) : undefined;
  const biasView = bias ? (broadcastView(bias, full) as StridedView<Float32Array>) : undefined;
  const scale = options.scale ?? 1 / Math.sqrt(D);
  const qv = attentionView(q);
  const kv = attentionView(k);
  const vv = attentionView(v);
  // the output is laid out [B, tq, H, D] so that merging the heads afterwards is a free view
  const outData = allocateUninitialized('float32', B * tq * H * D) as Float32Array;
  const out = Tensor.fromArray(outData, [B, tq, H, D]).permute([0, 2, 1, 3]);
  const lse = new Float32Array(B * H * tq);
  const probs = options.returnProbs ? (allocateUninitialized('float32', B * H * tq * tk) as Float32Array) : undefined;
  const args = {
    batch: B, heads: H, tq, tk, headDim: D, q: qv, k: kv, v: vv,
    out: out.strided as StridedView<Float32Array>, scale, causal: options.causal ?? false,
    mask: maskView, bias: biasView, lse,
  };
  getBackend().attention({ ...args, probs });
  const saved = [q, k, v, bias].map((t) => (t ? new SavedTensor(t, 'attention') : null));
  const output = record(out, 'ScaledDotProductAttentionBackward', [q, k, v, bias], (g) => {
    for (const s of saved) s?.get();
    const gq = new Float32Array(B * H * tq * D);
    const gk = new Float32Array(B * H * tk * D);
    const gv = new Float32Array(B * H * tk * D);
    const gBias = bias?.requiresGrad ? new Float32Array(H * tq * tk) : undefined;
    getBackend().attentionBackward({ ...args, gOut: attentionView(g), gq, gk, gv, gBias });
    return [
      Tensor.fromArray(gq, q.shape),
      Tensor.fromArray(gk, k.shape),
      Tensor.fromArray(gv, v.shape),
      gBias && bias ? sumToShape(Tensor.fromArray(gBias, [1, H, tq, tk]), bias.shape) : null,
    ];
  });
  return { output, probs: probs ? Tensor.fromArray(probs, full) : null };
}
