/**
 * GPT-2 (Radford et al., 2019): a stack of pre-LayerNorm Transformer decoder blocks with causal
 * self-attention over token + learned position embeddings, and a final LayerNorm. The language
 * model head reuses the token embedding matrix (tied weights). Names follow transformers'
 * modeling_gpt2.py; the projections are Conv1D (weights stored [in, out]).
 *
 *   a  = h + W_proj CausalSelfAttention(ln_1(h))
 *   h' = a + MLP(ln_2(a)),   MLP(x) = c_proj(gelu_new(c_fc(x)))
 */
import { OptionError } from '../../errors.js';
import { Conv1D, Dropout, Embedding, KeyValueCache, LayerNorm, Linear, Module, ModuleList, MultiHeadAttention, activationByName, defaultPositionIds, init, type Activation, type LayerKeyValues } from '../../nn/index.js';
import { recycling, type Generator, type Tensor } from '../../tensor/index.js';
import { initNormalModule } from '../init.js';
import { shiftLabelsLeft, tokenCrossEntropy } from '../losses.js';
import { asIds, PreTrainedModel } from '../modeling-utils.js';
import type { BaseModelOutputWithPast, CausalLMOutput, CommonForwardOptions, Ids } from '../outputs.js';
import { additiveMaskOrNull } from '../masks.js';
import { GPT2Config } from './configuration-gpt2.js';

export interface GPT2Inputs extends CommonForwardOptions {
  /** Token ids [batch, length]: the new tokens only when pastKeyValues is given. */
  inputIds: Ids;
  /** 1/0 padding mask over the past and the new tokens [batch, pastLength + length]. */
  attentionMask?: Ids;
  /** Positions [batch or 1, length]; default pastLength, pastLength + 1, ... (left padding needs them). */
  positionIds?: Ids;
  /** Added through the token embedding matrix, as transformers does. */
  tokenTypeIds?: Ids;
  /** The cache of earlier steps (appended to in place and returned), or legacy [key, value] tuples. */
  pastKeyValues?: KeyValueCache | Tensor[][] | null;
  /** Return the cache (created when pastKeyValues is not given). */
  useCache?: boolean;
}

/** Causal self-attention with one fused Conv1D producing [query | key | value]. */
export class GPT2Attention extends MultiHeadAttention {
  c_attn: Conv1D;
  c_proj: Conv1D;
  resid_dropout: Dropout;

  constructor(config: GPT2Config, layerIndex: number) {
    const headDim = config.nEmbd / config.nHead;
    // scores are divided by sqrt(headDim), and optionally by the layer number (scale_attn_by_inverse_layer_idx)
    let scale = config.scaleAttnWeights ? 1 / Math.sqrt(headDim) : 1;
    if (config.scaleAttnByInverseLayerIdx) scale /= layerIndex + 1;
    super({ numHeads: config.nHead, headDim, causal: true, scale, dropout: config.attnPdrop });
    this.c_attn = new Conv1D(config.nEmbd, 3 * config.nEmbd);
    this.c_proj = new Conv1D(config.nEmbd, config.nEmbd);
    this.resid_dropout = new Dropout(config.residPdrop);
  }

  protected override projectQueryKeyValue(hiddenStates: Tensor) {
    const [query, key, value] = this.c_attn.forward(hiddenStates).split(this.numHeads * this.headDim, 2);
    return { query, key, value };
  }

  protected override projectOutput(x: Tensor): Tensor {
    return this.resid_dropout.forward(this.c_proj.forward(x));
  }
}

export class GPT2MLP extends Module {
  c_fc: Conv1D;
  c_proj: Conv1D;
  dropout: Dropout;
  private readonly act: Activation;

  constructor(config: GPT2Config) {
    super();
    const inner = config.nInner ?? 4 * config.nEmbd;
    this.c_fc = new Conv1D(config.nEmbd, inner);
    this.c_proj = new Conv1D(inner, config.nEmbd);
    this.act = activationByName(config.activationFunction);
    this.dropout = new Dropout(config.residPdrop);
  }

  override forward(x: Tensor): Tensor {
    return this.dropout.forward(this.c_proj.forward(this.c_fc.forward(x, this.act)));
  }
}

export class GPT2Block extends Module {
  ln_1: LayerNorm;
  attn: GPT2Attention;
  ln_2: LayerNorm;
  mlp: GPT2MLP;

  constructor(config: GPT2Config, layerIndex: number) {
    super();
    this.ln_1 = new LayerNorm(config.nEmbd, { eps: config.layerNormEpsilon });
    this.attn = new GPT2Attention(config, layerIndex);
    this.ln_2 = new LayerNorm(config.nEmbd, { eps: config.layerNormEpsilon });
    this.mlp = new GPT2MLP(config);
  }

  override forward(h: Tensor, mask: Tensor | null, cache: LayerKeyValues | null, outputAttentions: boolean): { output: Tensor; probs: Tensor | null } {
    const attention = this.attn.forward({ hiddenStates: this.ln_1.forward(h), mask, cache, outputAttentions });
    const a = h.add(attention.output);
    return { output: a.add(this.mlp.forward(this.ln_2.forward(a))), probs: attention.probs };
  }
}

export abstract class GPT2PreTrainedModel extends PreTrainedModel<GPT2Config> {
  static override readonly configClass = GPT2Config;
  static override readonly baseModelPrefix = 'transformer';
  /** The causal-mask buffers older checkpoints contain. */
  static override readonly ignoreUnexpectedOnLoad = [/(^|\.)attn\.(masked_)?bias$/];

  /** transformers' init, plus the GPT-2 paper's scaling of residual projections by 1/sqrt(2 n_layer). */
  protected override initModule(module: Module, name: string, generator?: Generator): void {
    initNormalModule(module, this.config.initializerRange, generator);
    if (module instanceof Conv1D && name.endsWith('c_proj')) {
      init.normal_(module.weight, 0, this.config.initializerRange / Math.sqrt(2 * this.config.nLayer), generator);
    }
  }
}

export interface GPT2ModelOptions {
  generator?: Generator;
  /** Heads pass false and initialize the whole model once. */
  initialize?: boolean;
}

/** The bare decoder stack: lastHiddenState [batch, length, n_embd] after ln_f. */
export class GPT2Model extends GPT2PreTrainedModel {
  wte: Embedding;
  wpe: Embedding;
  drop: Dropout;
  h: ModuleList<GPT2Block>;
  ln_f: LayerNorm;

  constructor(config: GPT2Config, options: GPT2ModelOptions = {}) {
    super(config);
    this.wte = new Embedding(config.vocabSize, config.nEmbd);
    this.wpe = new Embedding(config.nPositions, config.nEmbd);
    this.drop = new Dropout(config.embdPdrop);
    this.h = new ModuleList(Array.from({ length: config.nLayer }, (_, i) => new GPT2Block(config, i)));
    this.ln_f = new LayerNorm(config.nEmbd, { eps: config.layerNormEpsilon });
    if (options.initialize ?? true) this.initWeights(options.generator);
  }

  override forward(inputs: GPT2Inputs): BaseModelOutputWithPast {
    const inputIds = asIds(inputs.inputIds);
    const length = inputIds.shape[1];
    let cache: KeyValueCache | null = null;
    if (inputs.pastKeyValues) {
      cache = inputs.pastKeyValues instanceof KeyValueCache ? inputs.pastKeyValues : KeyValueCache.fromLegacy(inputs.pastKeyValues);
    } else if (inputs.useCache) {
      cache = new KeyValueCache(this.config.nLayer);
    }
    const pastLength = cache?.length ?? 0;
    if (pastLength + length > this.config.nPositions) {
      throw new OptionError(`GPT2Model: ${pastLength + length} positions exceed n_positions ${this.config.nPositions}`);
    }
    const positionIds = inputs.positionIds !== undefined ? asIds(inputs.positionIds, 'positionIds') : defaultPositionIds(length, pastLength);
    const tokenTypeIds = inputs.tokenTypeIds !== undefined ? asIds(inputs.tokenTypeIds, 'tokenTypeIds') : null;
    const mask = inputs.attentionMask !== undefined ? additiveMaskOrNull(asIds(inputs.attentionMask, 'attentionMask')) : null;
    // without gradients, each block's intermediates are reused by the next, and the next forward
    // pass reuses this one's (tensor/recycle.ts)
    return recycling(() => this.blocks(this.embed(inputIds, positionIds, tokenTypeIds), mask, cache, inputs));
  }

  /** Token + position (+ token type, through the token embeddings) embeddings, then dropout. */
  private embed(inputIds: Tensor, positionIds: Tensor, tokenTypeIds: Tensor | null): Tensor {
    let h = this.wte.forward(inputIds).add(this.wpe.forward(positionIds));
    if (tokenTypeIds) h = h.add(this.wte.forward(tokenTypeIds));
    return this.drop.forward(h);
  }

  private blocks(h: Tensor, mask: Tensor | null, cache: KeyValueCache | null, inputs: GPT2Inputs): BaseModelOutputWithPast {
    const allHidden: Tensor[] = [];
    const allAttentions: Tensor[] = [];
    let i = 0;
    for (const block of this.h) {
      allHidden.push(h);
      const layerCache = cache?.selfAttention[i++] ?? null;
      const { output, probs } = recycling(() => block.forward(h, mask, layerCache, inputs.outputAttentions ?? false));
      h = output;
      if (probs) allAttentions.push(probs);
    }
    h = this.ln_f.forward(h);
    allHidden.push(h); // transformers' last hidden state entry is after ln_f
    return {
      lastHiddenState: h,
      ...(cache && (inputs.useCache ?? true) ? { pastKeyValues: cache } : {}),
      ...(inputs.outputHiddenStates ? { hiddenStates: allHidden } : {}),
      ...(inputs.outputAttentions ? { attentions: allAttentions } : {}),
    };
  }
}

export interface GPT2LMInputs extends GPT2Inputs {
  /** Target ids [batch, length], aligned with inputIds: the model shifts them (predicts token t+1 at t). -100 is ignored. */
  labels?: Ids;
  /** Compute logits for the last n positions only (transformers' logits_to_keep; generation uses 1). */
  logitsToKeep?: number;
}

/** GPT-2 with the language-model head: next-token logits [batch, length, vocab]. */
export class GPT2LMHeadModel extends GPT2PreTrainedModel {
  transformer: GPT2Model;
  lm_head: Linear;

  constructor(config: GPT2Config, options: { generator?: Generator } = {}) {
    super(config);
    this.transformer = new GPT2Model(config, { initialize: false });
    this.lm_head = new Linear(config.nEmbd, config.vocabSize, { bias: false });
    this.initWeights(options.generator);
    if (config.tieWordEmbeddings) this.lm_head.weight = this.transformer.wte.weight;
  }

  override forward(inputs: GPT2LMInputs): CausalLMOutput {
    const out = this.transformer.forward(inputs);
    const hidden = out.lastHiddenState;
    const keep = inputs.logitsToKeep && inputs.labels === undefined ? Math.min(inputs.logitsToKeep, hidden.shape[1]) : 0;
    const logits = this.lm_head.forward(keep > 0 ? hidden.narrow(1, hidden.shape[1] - keep, keep) : hidden);
    const result: CausalLMOutput = {
      logits,
      ...(out.pastKeyValues ? { pastKeyValues: out.pastKeyValues } : {}),
      ...(out.hiddenStates ? { hiddenStates: out.hiddenStates } : {}),
      ...(out.attentions ? { attentions: out.attentions } : {}),
    };
    if (inputs.labels !== undefined) {
      // position t predicts token t+1: logits[:, t] is scored against labels[:, t + 1]
      result.loss = tokenCrossEntropy(logits, shiftLabelsLeft(asIds(inputs.labels, 'labels')));
    }
    return result;
  }
}
