/**
 * The key/value cache for incremental decoding. A decoder that generates one token at a time
 * would otherwise recompute the keys and values of the whole prefix at every step; instead each
 * attention layer keeps them and appends only the new position's.
 *
 * Storage grows like a vector: keys and values live in a buffer [batch, heads, capacity, headDim]
 * whose capacity doubles when full, and the cached part is a narrow view of it. Appending a step
 * writes only the new positions, so the past is copied O(log n) times in all, not at every step.
 *
 * The layout matches Hugging Face's legacy tuples (see `toLegacy`): GPT-2 per layer [key, value],
 * T5 per decoder layer [selfKey, selfValue, crossKey, crossValue], each [batch, heads, seq, headDim].
 */
import { ShapeError } from '../errors.js';
import { cat, isGradEnabled, noGrad, zeros, type Tensor } from '../tensor/index.js';

/** Keys and values of one attention layer. */
export class LayerKeyValues {
  private keyBuffer: Tensor | null = null;
  private valueBuffer: Tensor | null = null;
  /** Number of cached positions. */
  length = 0;

  constructor(private readonly minCapacity = 0) {}

  get capacity(): number {
    return this.keyBuffer ? this.keyBuffer.shape[2] : 0;
  }

  /** The cached keys [batch, heads, length, headDim] (a view of the buffer). */
  get key(): Tensor {
    if (!this.keyBuffer) throw new ShapeError('LayerKeyValues: the cache is empty');
    return this.keyBuffer.narrow(2, 0, this.length);
  }

  get value(): Tensor {
    if (!this.valueBuffer) throw new ShapeError('LayerKeyValues: the cache is empty');
    return this.valueBuffer.narrow(2, 0, this.length);
  }

  /**
   * Appends keys and values [batch, heads, t, headDim] and returns all keys and values so far.
   * When autograd needs gradients through the new entries, the result is a concatenation that
   * stays in the graph (the buffer copy does not).
   */
  append(key: Tensor, value: Tensor): { key: Tensor; value: Tensor } {
    const [batch, heads, t, headDim] = key.shape;
    const hadPast = this.length > 0;
    const past = hadPast ? { key: this.key, value: this.value } : null;
    if (this.keyBuffer && (this.keyBuffer.shape[0] !== batch || this.keyBuffer.shape[1] !== heads || this.keyBuffer.shape[3] !== headDim)) {
      throw new ShapeError(`LayerKeyValues.append: new keys ${JSON.stringify(key.shape)} do not fit the cache [${this.keyBuffer.shape.slice(0, 2).join(', ')}, *, ${headDim}]`);
    }
    const needed = this.length + t;
    if (needed > this.capacity) this.grow(Math.max(needed, 2 * this.capacity, this.minCapacity), [batch, heads, headDim]);
    noGrad(() => {
      this.keyBuffer!.narrow(2, this.length, t).copy_(key);
      this.valueBuffer!.narrow(2, this.length, t).copy_(value);
    });
    this.length = needed;
    if (!past) return { key, value }; // the fresh tensors themselves: same values, and in the graph
    if (isGradEnabled() && (key.requiresGrad || value.requiresGrad)) {
      return { key: cat([past.key, key], 2), value: cat([past.value, value], 2) };
    }
    return { key: this.key, value: this.value };
  }

  /** Replaces the contents with the given tensors (used for cross-attention and legacy input). */
  set(key: Tensor, value: Tensor): void {
    this.keyBuffer = null;
    this.valueBuffer = null;
    this.length = 0;
    this.append(key, value);
  }

  /**
   * Keeps, for each new batch row, the cached row `indices[i]` (beam search reorders and
   * duplicates hypotheses this way). indices: int32 [newBatch].
   */
  reorder(indices: Tensor): void {
    if (this.length === 0) return;
    const key = noGrad(() => this.key.indexSelect(0, indices));
    const value = noGrad(() => this.value.indexSelect(0, indices));
    this.keyBuffer = key;
    this.valueBuffer = value;
  }

  private grow(capacity: number, [batch, heads, headDim]: number[]): void {
    const keys = zeros([batch, heads, capacity, headDim]);
    const values = zeros([batch, heads, capacity, headDim]);
    if (this.length > 0) {
      noGrad(() => {
        keys.narrow(2, 0, this.length).copy_(this.key);
        values.narrow(2, 0, this.length).copy_(this.value);
      });
    }
    this.keyBuffer = keys;
    this.valueBuffer = values;
  }
}

export interface KeyValueCacheOptions {
  /** Also keep cross-attention keys/values (encoder-decoder models such as T5). */
  crossAttention?: boolean;
  /** Positions to allocate up front (e.g. prompt + maxNewTokens); the cache grows past it if needed. */
  capacity?: number;
}

/**
 * A model's cache: one LayerKeyValues per decoder layer for self-attention, and for
 * encoder-decoder models one more per layer for cross-attention (computed once from the encoder
 * output, then reused). A forward pass given a cache appends to it in place and returns it, as
 * transformers' DynamicCache does.
 */
export class KeyValueCache {
  readonly selfAttention: LayerKeyValues[];
  readonly crossAttention: LayerKeyValues[] | null;

  constructor(numLayers: number, options: KeyValueCacheOptions = {}) {
    this.selfAttention = Array.from({ length: numLayers }, () => new LayerKeyValues(options.capacity));
    this.crossAttention = options.crossAttention ? Array.from({ length: numLayers }, () => new LayerKeyValues()) : null;
  }

  get numLayers(): number {
    return this.selfAttention.length;
  }

  /** Number of positions already cached (the past length). */
  get length(): number {
    return this.selfAttention[0]?.length ?? 0;
  }

  /**
   * Hugging Face's legacy tuple layout: per layer [key, value], or for encoder-decoder models
   * [selfKey, selfValue, crossKey, crossValue], each [batch, heads, seq, headDim].
   */
  toLegacy(): Tensor[][] {
    return this.selfAttention.map((layer, i) => {
      const out = [layer.key, layer.value];
      const cross = this.crossAttention?.[i];
      if (cross && cross.length > 0) out.push(cross.key, cross.value);
      return out;
    });
  }

  /** A cache holding copies of legacy tuples (2 or 4 tensors per layer). */
  static fromLegacy(legacy: readonly (readonly Tensor[])[]): KeyValueCache {
    const cross = legacy.length > 0 && legacy[0].length === 4;
    const cache = new KeyValueCache(legacy.length, { crossAttention: cross });
    legacy.forEach((entry, i) => {
      if (entry.length !== (cross ? 4 : 2)) {
        throw new ShapeError(`KeyValueCache.fromLegacy: layer ${i} has ${entry.length} tensors, expected ${cross ? 4 : 2} like layer 0`);
      }
      cache.selfAttention[i].set(entry[0].detach(), entry[1].detach());
      if (cross) cache.crossAttention![i].set(entry[2].detach(), entry[3].detach());
    });
    return cache;
  }

  /** Reorders (or repeats) the batch rows of every layer: row i becomes old row indices[i]. */
  reorder(indices: Tensor): void {
    for (const layer of this.selfAttention) layer.reorder(indices);
    for (const layer of this.crossAttention ?? []) layer.reorder(indices);
  }
}
