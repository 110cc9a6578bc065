/**
 * T5 (Raffel et al., 2020): an encoder-decoder Transformer with pre-norm residual blocks, RMS
 * layer norms without bias, no absolute positions but a relative position bias added to the
 * attention scores, and no 1/sqrt(d) score scaling. Every task is text to text.
 * Names follow transformers' modeling_t5.py, so state-dict keys are the checkpoint's keys.
 *
 *   encoder block:  h += SelfAttention(norm(h));                   h += FF(norm(h))
 *   decoder block:  h += CausalSelfAttention(norm(h));  h += CrossAttention(norm(h), enc);  h += FF(norm(h))
 */
import { Dropout, Embedding, KeyValueCache, Linear, Module, ModuleList, MultiHeadAttention, RMSNorm, DenseActDense, DenseGatedActDense, relativePositionBias, init, type LayerKeyValues } from '../../nn/index.js';
import { OptionError } from '../../errors.js';
import { noGrad, recycling, Tensor, type Generator } from '../../tensor/index.js';
import { tokenCrossEntropy } from '../losses.js';
import { additiveMaskOrNull } from '../masks.js';
import { asIds, PreTrainedModel } from '../modeling-utils.js';
import type { BaseModelOutput, CommonForwardOptions, Ids, Seq2SeqLMOutput, Seq2SeqModelOutput } from '../outputs.js';
import { T5Config } from './configuration-t5.js';

interface T5AttentionOptions {
  isDecoder: boolean;
  isCrossAttention?: boolean;
  /** Only the first block of each stack owns the position-bias table; the others reuse its bias. */
  hasRelativeAttentionBias: boolean;
}

/** Attention with bias-free q/k/v/o projections, unscaled scores, and (block 0) the position-bias table. */
export class T5Attention extends MultiHeadAttention {
  q: Linear;
  k: Linear;
  v: Linear;
  o: Linear;
  relative_attention_bias: Embedding | null;
  readonly isDecoder: boolean;

  constructor(private readonly config: T5Config, options: T5AttentionOptions) {
    const cross = options.isCrossAttention ?? false;
    super({ numHeads: config.numHeads, headDim: config.dKv, causal: options.isDecoder && !cross, scale: 1, isCrossAttention: cross, dropout: config.dropoutRate });
    this.isDecoder = options.isDecoder;
    const inner = config.numHeads * config.dKv;
    this.q = new Linear(config.dModel, inner, { bias: false });
    this.k = new Linear(config.dModel, inner, { bias: false });
    this.v = new Linear(config.dModel, inner, { bias: false });
    this.o = new Linear(inner, config.dModel, { bias: false });
    this.relative_attention_bias = options.hasRelativeAttentionBias ? new Embedding(config.relativeAttentionNumBuckets, config.numHeads) : null;
  }

  protected override projectQueryKeyValue(hiddenStates: Tensor, keyValueStates: Tensor | null) {
    return this.projectSeparately({ query: this.q, key: this.k, value: this.v }, hiddenStates, keyValueStates);
  }

  protected override projectOutput(x: Tensor): Tensor {
    return this.o.forward(x);
  }

  /** The bias [1, heads, queryLength, keyLength] for queries starting at position queryOffset. */
  positionBias(queryLength: number, keyLength: number, queryOffset: number): Tensor {
    if (!this.relative_attention_bias) throw new OptionError('T5Attention.positionBias: this layer has no relative_attention_bias (only block 0 does)');
    return relativePositionBias(this.relative_attention_bias.weight, queryLength, keyLength, queryOffset, {
      bidirectional: !this.isDecoder,
      numBuckets: this.config.relativeAttentionNumBuckets,
      maxDistance: this.config.relativeAttentionMaxDistance,
    });
  }
}

interface SubLayerResult {
  output: Tensor;
  probs: Tensor | null;
}

/** h + Dropout(SelfAttention(norm(h))). */
export class T5LayerSelfAttention extends Module {
  SelfAttention: T5Attention;
  layer_norm: RMSNorm;
  dropout: Dropout;

  constructor(config: T5Config, isDecoder: boolean, hasRelativeAttentionBias: boolean) {
    super();
    this.SelfAttention = new T5Attention(config, { isDecoder, hasRelativeAttentionBias });
    this.layer_norm = new RMSNorm(config.dModel, config.layerNormEpsilon);
    this.dropout = new Dropout(config.dropoutRate);
  }

  override forward(h: Tensor, mask: Tensor | null, positionBias: Tensor, cache: LayerKeyValues | null, outputAttentions: boolean): SubLayerResult {
    const a = this.SelfAttention.forward({ hiddenStates: this.layer_norm.forward(h), mask, positionBias, cache, outputAttentions });
    return { output: h.add(this.dropout.forward(a.output)), probs: a.probs };
  }
}

/** h + Dropout(CrossAttention(norm(h), encoder output)): no position bias. */
export class T5LayerCrossAttention extends Module {
  EncDecAttention: T5Attention;
  layer_norm: RMSNorm;
  dropout: Dropout;

  constructor(config: T5Config) {
    super();
    this.EncDecAttention = new T5Attention(config, { isDecoder: true, isCrossAttention: true, hasRelativeAttentionBias: false });
    this.layer_norm = new RMSNorm(config.dModel, config.layerNormEpsilon);
    this.dropout = new Dropout(config.dropoutRate);
  }

  override forward(h: Tensor, encoderStates: Tensor | null, mask: Tensor | null, cache: LayerKeyValues | null, outputAttentions: boolean): SubLayerResult {
    const a = this.EncDecAttention.forward({ hiddenStates: this.layer_norm.forward(h), keyValueStates: encoderStates, mask, cache, outputAttentions });
    return { output: h.add(this.dropout.forward(a.output)), probs: a.probs };
  }
}

/** h + Dropout(FF(norm(h))), FF being ReLU (T5) or gated GELU (T5 v1.1). */
export class T5LayerFF extends Module {
  DenseReluDense: DenseActDense | DenseGatedActDense;
  layer_norm: RMSNorm;
  dropout: Dropout;

  constructor(config: T5Config) {
    super();
    this.DenseReluDense = config.isGatedAct
      ? new DenseGatedActDense(config.dModel, config.dFf, config.denseActFn, config.dropoutRate)
      : new DenseActDense(config.dModel, config.dFf, config.denseActFn, config.dropoutRate);
    this.layer_norm = new RMSNorm(config.dModel, config.layerNormEpsilon);
    this.dropout = new Dropout(config.dropoutRate);
  }

  override forward(h: Tensor): Tensor {
    return h.add(this.dropout.forward(this.DenseReluDense.forward(this.layer_norm.forward(h))));
  }
}

interface BlockInputs {
  mask: Tensor | null;
  positionBias: Tensor;
  encoderStates: Tensor | null;
  encoderMask: Tensor | null;
  selfCache: LayerKeyValues | null;
  crossCache: LayerKeyValues | null;
  outputAttentions: boolean;
}

/** One block: layer.0 self-attention, (decoder) layer.1 cross-attention, then the feed-forward. */
export class T5Block extends Module {
  layer: ModuleList;

  constructor(config: T5Config, readonly isDecoder: boolean, hasRelativeAttentionBias: boolean) {
    super();
    const layers: Module[] = [new T5LayerSelfAttention(config, isDecoder, hasRelativeAttentionBias)];
    if (isDecoder) layers.push(new T5LayerCrossAttention(config));
    layers.push(new T5LayerFF(config));
    this.layer = new ModuleList(layers);
  }

  get selfAttention(): T5LayerSelfAttention { return this.layer.get(0) as T5LayerSelfAttention; }
  get crossAttention(): T5LayerCrossAttention | null { return this.isDecoder ? (this.layer.get(1) as T5LayerCrossAttention) : null; }
  get feedForward(): T5LayerFF { return this.layer.get(-1) as T5LayerFF; }

  override forward(h: Tensor, inputs: BlockInputs): { output: Tensor; selfProbs: Tensor | null; crossProbs: Tensor | null } {
    const self = this.selfAttention.forward(h, inputs.mask, inputs.positionBias, inputs.selfCache, inputs.outputAttentions);
    let out = self.output;
    let crossProbs: Tensor | null = null;
    const cross = this.crossAttention;
    if (cross) {
      const c = cross.forward(out, inputs.encoderStates, inputs.encoderMask, inputs.crossCache, inputs.outputAttentions);
      out = c.output;
      crossProbs = c.probs;
    }
    return { output: this.feedForward.forward(out), selfProbs: self.probs, crossProbs };
  }
}

export interface T5StackInputs extends CommonForwardOptions {
  inputIds: Ids;
  /** 1/0 mask over the keys [batch, pastLength + length] (decoder) or [batch, length] (encoder). */
  attentionMask?: Ids;
  /** Decoder only: the encoder output and its padding mask. */
  encoderHiddenStates?: Tensor;
  encoderAttentionMask?: Ids;
  /** Decoder only: the cache to read and append to. */
  cache?: KeyValueCache | null;
}

export interface T5StackOutput extends BaseModelOutput {
  crossAttentions?: Tensor[];
}

/** The encoder or the decoder: embeddings (shared), blocks, final norm. */
export class T5Stack extends Module {
  embed_tokens: Embedding;
  block: ModuleList<T5Block>;
  final_layer_norm: RMSNorm;
  dropout: Dropout;

  constructor(config: T5Config, sharedEmbeddings: Embedding, readonly isDecoder: boolean) {
    super();
    this.embed_tokens = sharedEmbeddings;
    const depth = isDecoder ? config.numDecoderLayers! : config.numLayers;
    this.block = new ModuleList(Array.from({ length: depth }, (_, i) => new T5Block(config, isDecoder, i === 0)));
    this.final_layer_norm = new RMSNorm(config.dModel, config.layerNormEpsilon);
    this.dropout = new Dropout(config.dropoutRate);
  }

  override forward(inputs: T5StackInputs): T5StackOutput {
    const inputIds = asIds(inputs.inputIds);
    const length = inputIds.shape[1];
    const cache = this.isDecoder ? (inputs.cache ?? null) : null;
    const pastLength = cache?.length ?? 0;
    const mask = inputs.attentionMask !== undefined ? additiveMaskOrNull(asIds(inputs.attentionMask, 'attentionMask')) : null;
    const encoderMask = inputs.encoderAttentionMask !== undefined ? additiveMaskOrNull(asIds(inputs.encoderAttentionMask, 'encoderAttentionMask')) : null;
    // computed once, in block 0, and shared by every block of the stack
    const positionBias = this.block.get(0).selfAttention.SelfAttention.positionBias(length, pastLength + length, pastLength);
    // without gradients, each block's intermediates are reused by the next, and the next forward
    // pass reuses this one's (tensor/recycle.ts)
    return recycling(() => this.blocks(this.dropout.forward(this.embed_tokens.forward(inputIds)), { mask, positionBias, encoderMask, cache }, inputs));
  }

  private blocks(
    h: Tensor,
    { mask, positionBias, encoderMask, cache }: { mask: Tensor | null; positionBias: Tensor; encoderMask: Tensor | null; cache: KeyValueCache | null },
    inputs: T5StackInputs,
  ): T5StackOutput {
    const allHidden: Tensor[] = [];
    const selfAttentions: Tensor[] = [];
    const crossAttentions: Tensor[] = [];
    let i = 0;
    for (const block of this.block) {
      allHidden.push(h);
      const blockInputs = {
        mask, positionBias, encoderStates: inputs.encoderHiddenStates ?? null, encoderMask,
        selfCache: cache?.selfAttention[i] ?? null, crossCache: cache?.crossAttention?.[i] ?? null,
        outputAttentions: inputs.outputAttentions ?? false,
      };
      const r = recycling(() => block.forward(h, blockInputs));
      h = r.output;
      if (r.selfProbs) selfAttentions.push(r.selfProbs);
      if (r.crossProbs) crossAttentions.push(r.crossProbs);
      i++;
    }
    h = this.dropout.forward(this.final_layer_norm.forward(h));
    allHidden.push(h); // the last entry is after the final norm, as in transformers
    return {
      lastHiddenState: h,
      ...(inputs.outputHiddenStates ? { hiddenStates: allHidden } : {}),
      ...(inputs.outputAttentions ? { attentions: selfAttentions } : {}),
      ...(inputs.outputAttentions && this.isDecoder ? { crossAttentions } : {}),
    };
  }
}

export abstract class T5PreTrainedModel extends PreTrainedModel<T5Config> {
  static override readonly configClass = T5Config;
  static override readonly baseModelPrefix = 'transformer';
  static override readonly ignoreUnexpectedOnLoad = [/^decoder\.block\.0\.layer\.1\.EncDecAttention\.relative_attention_bias\.weight$/];

  /** transformers' T5PreTrainedModel._init_weights: normal with stds scaled by the layer sizes. */
  protected override initModule(m: Module, name: string, generator?: Generator): void {
    const config = this.config;
    const f = config.initializerFactor;
    const dModel = config.dModel;
    if (name === 'shared' || name === 'lm_head') init.normal_((m as Embedding | Linear).weight, 0, f, generator);
    else if (m instanceof RMSNorm) noGrad(() => m.weight.fill_(f));
    else if (m instanceof DenseActDense) {
      init.normal_(m.wi.weight, 0, f * dModel ** -0.5, generator);
      init.normal_(m.wo.weight, 0, f * config.dFf ** -0.5, generator);
    } else if (m instanceof DenseGatedActDense) {
      init.normal_(m.wi_0.weight, 0, f * dModel ** -0.5, generator);
      init.normal_(m.wi_1.weight, 0, f * dModel ** -0.5, generator);
      init.normal_(m.wo.weight, 0, f * config.dFf ** -0.5, generator);
    } else if (m instanceof T5Attention) {
      init.normal_(m.q.weight, 0, f * (dModel * config.dKv) ** -0.5, generator);
      init.normal_(m.k.weight, 0, f * dModel ** -0.5, generator);
      init.normal_(m.v.weight, 0, f * dModel ** -0.5, generator);
      init.normal_(m.o.weight, 0, f * (config.numHeads * config.dKv) ** -0.5, generator);
      if (m.relative_attention_bias) init.normal_(m.relative_attention_bias.weight, 0, f * dModel ** -0.5, generator);
    }
  }
}

/** decoder input = labels shifted right: [start, labels[:-1]], with -100 replaced by the pad id. */
export function shiftRight(labels: Tensor, decoderStartTokenId: number, padTokenId: number): Tensor {
  const [batch, length] = labels.shape;
  const src = labels.contiguousData();
  const out = new Int32Array(batch * length);
  for (let b = 0; b < batch; b++) {
    out[b * length] = decoderStartTokenId;
    for (let t = 1; t < length; t++) {
      const v = src[b * length + t - 1];
      out[b * length + t] = v === -100 ? padTokenId : v;
    }
  }
  return Tensor.fromArray(out, [batch, length]);
}

export interface T5Inputs extends CommonForwardOptions {
  /** Encoder token ids [batch, sourceLength] (not needed when encoderOutputs is given). */
  inputIds?: Ids;
  /** Encoder padding mask [batch, sourceLength]. */
  attentionMask?: Ids;
  /** Decoder token ids [batch, length]: only the new ones when pastKeyValues is given. */
  decoderInputIds?: Ids;
  /** Decoder mask over past and new positions [batch, pastLength + length]. */
  decoderAttentionMask?: Ids;
  /** A precomputed encoder output (generation encodes once and reuses it). */
  encoderOutputs?: BaseModelOutput;
  /** The decoder cache (appended to in place and returned), or legacy 4-tensor tuples per layer. */
  pastKeyValues?: KeyValueCache | Tensor[][] | null;
  /** Return the decoder cache (created when pastKeyValues is not given). */
  useCache?: boolean;
}

export interface T5LMInputs extends T5Inputs {
  /** Target ids [batch, length]; -100 is ignored. decoderInputIds default to shiftRight(labels). */
  labels?: Ids;
  /** Compute logits for the last n decoder positions only (transformers' logits_to_keep; generation uses 1). */
  logitsToKeep?: number;
}

/** Encoder, decoder and the shared embedding: the body every T5 class has. */
abstract class T5EncoderDecoder extends T5PreTrainedModel {
  shared!: Embedding;
  encoder!: T5Stack;
  decoder!: T5Stack;

  protected build(config: T5Config): void {
    this.shared = new Embedding(config.vocabSize, config.dModel);
    this.encoder = new T5Stack(config, this.shared, false);
    this.decoder = new T5Stack(config, this.shared, true);
  }

  /** Encoder once, then the decoder (with the cache when decoding step by step). */
  protected encodeDecode(inputs: T5Inputs, decoderInputIds: Tensor): Seq2SeqModelOutput {
    const encoded = inputs.encoderOutputs ?? this.encoder.forward({
      inputIds: requireIds(inputs.inputIds),
      attentionMask: inputs.attentionMask,
      outputHiddenStates: inputs.outputHiddenStates,
      outputAttentions: inputs.outputAttentions,
    });
    let cache: KeyValueCache | null = null;
    if (inputs.pastKeyValues) {
      cache = inputs.pastKeyValues instanceof KeyValueCache ? inputs.pastKeyValues : KeyValueCache.fromLegacy(inputs.pastKeyValues);
    } else if (inputs.useCache) {
      cache = new KeyValueCache(this.config.numDecoderLayers!, { crossAttention: true });
    }
    const decoded = this.decoder.forward({
      inputIds: decoderInputIds,
      attentionMask: inputs.decoderAttentionMask,
      encoderHiddenStates: encoded.lastHiddenState,
      encoderAttentionMask: inputs.attentionMask,
      cache,
      outputHiddenStates: inputs.outputHiddenStates,
      outputAttentions: inputs.outputAttentions,
    });
    return {
      lastHiddenState: decoded.lastHiddenState,
      ...(cache && (inputs.useCache ?? true) ? { pastKeyValues: cache } : {}),
      ...(decoded.hiddenStates ? { decoderHiddenStates: decoded.hiddenStates } : {}),
      ...(decoded.attentions ? { decoderAttentions: decoded.attentions } : {}),
      ...(decoded.crossAttentions ? { crossAttentions: decoded.crossAttentions } : {}),
      encoderLastHiddenState: encoded.lastHiddenState,
      ...(encoded.hiddenStates ? { encoderHiddenStates: encoded.hiddenStates } : {}),
      ...(encoded.attentions ? { encoderAttentions: encoded.attentions } : {}),
    };
  }
}

function requireIds(ids: Ids | undefined): Ids {
  if (ids === undefined) throw new OptionError('T5: pass inputIds (or encoderOutputs)');
  return ids;
}

/** The bare encoder-decoder: the decoder's lastHiddenState. */
export class T5Model extends T5EncoderDecoder {
  constructor(config: T5Config, options: { generator?: Generator } = {}) {
    super(config);
    this.build(config);
    this.initWeights(options.generator);
  }

  override forward(inputs: T5Inputs): Seq2SeqModelOutput {
    if (inputs.decoderInputIds === undefined) throw new OptionError('T5Model.forward: pass decoderInputIds');
    return this.encodeDecode(inputs, asIds(inputs.decoderInputIds, 'decoderInputIds'));
  }
}

/** T5 with the language-model head: logits over the vocabulary for every decoder position. */
export class T5ForConditionalGeneration extends T5EncoderDecoder {
  lm_head!: Linear;

  constructor(config: T5Config, options: { generator?: Generator } = {}) {
    super(config);
    this.build(config);
    this.lm_head = new Linear(config.dModel, config.vocabSize, { bias: false });
    this.initWeights(options.generator);
    if (config.tieWordEmbeddings) this.lm_head.weight = this.shared.weight;
  }

  override forward(inputs: T5LMInputs): Seq2SeqLMOutput {
    const labels = inputs.labels !== undefined ? asIds(inputs.labels, 'labels') : null;
    let decoderInputIds: Tensor;
    if (inputs.decoderInputIds !== undefined) decoderInputIds = asIds(inputs.decoderInputIds, 'decoderInputIds');
    else if (labels) decoderInputIds = shiftRight(labels, this.config.decoderStartId, this.config.padTokenId ?? 0);
    else throw new OptionError('T5ForConditionalGeneration.forward: pass decoderInputIds or labels');
    const { lastHiddenState, ...rest } = this.encodeDecode(inputs, decoderInputIds);
    // with tied embeddings the output is rescaled by d_model^-0.5 before the projection (Mesh TensorFlow's convention)
    const length = lastHiddenState.shape[1];
    const keep = inputs.logitsToKeep && !labels ? Math.min(inputs.logitsToKeep, length) : length;
    const last = keep < length ? lastHiddenState.narrow(1, length - keep, keep) : lastHiddenState;
    const h = this.config.tieWordEmbeddings ? last.mul(this.config.dModel ** -0.5) : last;
    const logits = this.lm_head.forward(h);
    return { ...(labels ? { loss: tokenCrossEntropy(logits, labels) } : {}), logits, ...rest };
  }
}

/** The encoder alone (for embeddings or classification on top). */
export class T5EncoderModel extends T5PreTrainedModel {
  shared: Embedding;
  encoder: T5Stack;

  /** Checkpoints of the full model also hold the decoder and lm_head: not used here, not reported. */
  static override readonly ignoreUnexpectedOnLoad = [/^decoder\./, /^lm_head\./];

  constructor(config: T5Config, options: { generator?: Generator } = {}) {
    super(config);
    this.shared = new Embedding(config.vocabSize, config.dModel);
    this.encoder = new T5Stack(config, this.shared, false);
    this.initWeights(options.generator);
  }

  override forward(inputs: { inputIds: Ids; attentionMask?: Ids } & CommonForwardOptions): BaseModelOutput {
    return this.encoder.forward(inputs);
  }
}
