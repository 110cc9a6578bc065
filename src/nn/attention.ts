/**
 * Multi-head attention (Vaswani et al., 2017, section 3.2.2), the block BERT, GPT-2 and T5 share.
 *
 *   head_i = softmax(scale * Q_i K_i^T + mask + bias) V_i,   output = W_o [head_1; ...; head_h]
 *
 * The three models differ only in how they project: BERT has separate query/key/value Linear
 * layers with biases, GPT-2 one fused `c_attn` Conv1D, T5 bias-free q/k/v/o and no score
 * scaling. Each model's attention subclass declares its projection weights (under the names its
 * Hugging Face checkpoints use) and implements `projectQueryKeyValue` / `projectOutput`; the
 * splitting into heads, the key/value cache, masking and the fused kernel live here.
 *
 * Self-attention: queries, keys and values all come from `hiddenStates`.
 * Causal self-attention (GPT-2, T5's decoder): query i sees keys j <= i (plus the cached past).
 * Cross-attention (T5's decoder): queries from the decoder, keys and values from the encoder
 * output, computed once and kept in the cache for the following decoding steps.
 */
import { OptionError } from '../errors.js';
import { dropout, linearMany, scaledDotProductAttention, softmax, sub, Tensor } from '../tensor/index.js';
import type { Linear } from './layers.js';
import type { LayerKeyValues } from './kv-cache.js';
import { Module } from './module.js';

/**
 * The additive value for hidden positions. transformers adds (1 - mask) * finfo(float32).min;
 * a finite value (not -inf) keeps a fully hidden row finite instead of NaN.
 */
export const MASK_VALUE = -3.4028234663852886e38;

/**
 * Turns a padding mask [batch, keyLength] of 1 (attend) / 0 (padding) into the additive mask
 * [batch, 1, 1, keyLength] that broadcasts over heads and query positions.
 */
export function paddingMaskToAdditive(attentionMask: Tensor): Tensor {
  const [batch, keyLength] = attentionMask.shape;
  return sub(1, attentionMask.float()).mul(MASK_VALUE).view([batch, 1, 1, keyLength]);
}

export interface AttentionOptions {
  numHeads: number;
  headDim: number;
  /** Hide future positions (decoders). */
  causal?: boolean;
  /** Score scale; default 1 / sqrt(headDim). T5 uses 1 (its initialization absorbs the scale). */
  scale?: number;
  /** Keys and values come from `keyValueStates` (the encoder output), not from the queries' input. */
  isCrossAttention?: boolean;
  /** Dropout on the attention probabilities in training mode (BERT's attention_probs_dropout_prob). */
  dropout?: number;
}

export interface AttentionInputs {
  /** [batch, queryLength, hidden]: the queries' input (and the keys'/values' for self-attention). */
  hiddenStates: Tensor;
  /** [batch, keyLength, hidden]: for cross-attention, the encoder output. */
  keyValueStates?: Tensor | null;
  /** Additive mask broadcastable to [batch, heads, queryLength, keyLength] (see paddingMaskToAdditive). */
  mask?: Tensor | null;
  /** Additive bias [1, heads, queryLength, keyLength] that is learned (T5's relative position bias). */
  positionBias?: Tensor | null;
  /** This layer's cache: self-attention appends to it; cross-attention fills it once, then reuses it. */
  cache?: LayerKeyValues | null;
  /** Also return the attention probabilities [batch, heads, queryLength, keyLength]. */
  outputAttentions?: boolean;
}

export interface AttentionResult {
  /** [batch, queryLength, hidden] after the output projection. */
  output: Tensor;
  probs: Tensor | null;
}

export abstract class MultiHeadAttention extends Module {
  readonly numHeads: number;
  readonly headDim: number;
  readonly causal: boolean;
  readonly scale: number;
  readonly isCrossAttention: boolean;
  readonly attentionDropout: number;

  constructor(options: AttentionOptions) {
    super();
    this.numHeads = options.numHeads;
    this.headDim = options.headDim;
    this.causal = options.causal ?? false;
    this.scale = options.scale ?? 1 / Math.sqrt(options.headDim);
    this.isCrossAttention = options.isCrossAttention ?? false;
    this.attentionDropout = options.dropout ?? 0;
  }

  /**
   * Projects to queries [batch, tq, heads*headDim] and, when `keyValueStates` is not null, keys
   * and values [batch, tk, heads*headDim]. With null, only the query is needed (cached keys).
   */
  protected abstract projectQueryKeyValue(hiddenStates: Tensor, keyValueStates: Tensor | null): { query: Tensor; key?: Tensor; value?: Tensor };

  /**
   * projectQueryKeyValue for separate query/key/value Linear layers (BERT, T5). In self-attention
   * the three share their input and go through linearMany: one product when nothing needs a
   * gradient (measured: BERT-base 1 x 128 on two threads ~5 % faster), three otherwise.
   */
  protected projectSeparately(layers: { query: Linear; key: Linear; value: Linear }, hiddenStates: Tensor, keyValueStates: Tensor | null) {
    if (keyValueStates === hiddenStates) {
      const [query, key, value] = linearMany(hiddenStates, [layers.query, layers.key, layers.value]);
      return { query, key, value };
    }
    return {
      query: layers.query.forward(hiddenStates),
      key: keyValueStates ? layers.key.forward(keyValueStates) : undefined,
      value: keyValueStates ? layers.value.forward(keyValueStates) : undefined,
    };
  }

  /** The output projection W_o (BERT keeps it in a separate module, so the default is identity). */
  protected projectOutput(x: Tensor): Tensor {
    return x;
  }

  /** [batch, t, heads*headDim] -> [batch, heads, t, headDim] (a view, no copy). */
  splitHeads(x: Tensor): Tensor {
    const [batch, t] = x.shape;
    return x.view([batch, t, this.numHeads, this.headDim]).transpose(1, 2);
  }

  /** [batch, heads, t, headDim] -> [batch, t, heads*headDim]. */
  mergeHeads(x: Tensor): Tensor {
    const [batch, , t] = x.shape;
    return x.transpose(1, 2).reshape([batch, t, this.numHeads * this.headDim]);
  }

  override forward(inputs: AttentionInputs): AttentionResult {
    const { hiddenStates, cache } = inputs;
    // Cross-attention keys depend only on the encoder output: compute them once per sequence.
    const reuseCrossKeys = this.isCrossAttention && cache != null && cache.length > 0;
    const source = reuseCrossKeys ? null : this.isCrossAttention ? (inputs.keyValueStates ?? null) : hiddenStates;
    if (this.isCrossAttention && !reuseCrossKeys && !source) {
      throw new OptionError(`${this.constructor.name}: cross-attention needs keyValueStates (the encoder output)`);
    }
    const projected = this.projectQueryKeyValue(hiddenStates, source);
    const query = this.splitHeads(projected.query);
    let key: Tensor;
    let value: Tensor;
    if (reuseCrossKeys) {
      key = cache!.key;
      value = cache!.value;
    } else {
      key = this.splitHeads(projected.key!);
      value = this.splitHeads(projected.value!);
      if (cache) ({ key, value } = cache.append(key, value));
    }
    const options = {
      mask: inputs.mask ?? null,
      bias: inputs.positionBias ?? null,
      causal: this.causal,
      scale: this.scale,
      returnProbs: inputs.outputAttentions ?? false,
    };
    const { output, probs } = this.training && this.attentionDropout > 0
      ? this.attentionWithDropout(query, key, value, options)
      : scaledDotProductAttention(query, key, value, options);
    return { output: this.projectOutput(this.mergeHeads(output)), probs };
  }

  /**
   * The same attention written out step by step, so that dropout can hit the probabilities (the
   * fused kernel has no dropout): used in training mode only.
   */
  private attentionWithDropout(
    q: Tensor, k: Tensor, v: Tensor,
    o: { mask: Tensor | null; bias: Tensor | null; causal: boolean; scale: number; returnProbs: boolean },
  ): { output: Tensor; probs: Tensor | null } {
    let scores = q.matmul(k.transpose(-1, -2)).mul(o.scale); // [batch, heads, tq, tk]
    if (o.mask) scores = scores.add(o.mask);
    if (o.bias) scores = scores.add(o.bias);
    if (o.causal) scores = scores.add(causalMask(q.shape[2], k.shape[2]));
    const probs = softmax(scores, -1);
    const output = dropout(probs, this.attentionDropout, true).matmul(v);
    return { output, probs: o.returnProbs ? probs.detach() : null };
  }
}

/** Additive mask [tq, tk] hiding key j from query i when j > i + (tk - tq) (the cached past comes first). */
function causalMask(tq: number, tk: number): Tensor {
  const data = new Float32Array(tq * tk);
  const past = tk - tq;
  for (let i = 0; i < tq; i++) for (let j = i + past + 1; j < tk; j++) data[i * tk + j] = MASK_VALUE;
  return Tensor.fromArray(data, [tq, tk]);
}
