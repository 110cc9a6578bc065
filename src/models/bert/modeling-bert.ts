/**
 * BERT (Devlin et al., 2019): a stack of post-LayerNorm Transformer encoder layers over the sum
 * of token, position and segment embeddings. Module and parameter names follow transformers'
 * modeling_bert.py, so state-dict keys are the checkpoint's keys.
 *
 *   h_0 = LayerNorm(word + token_type + position)
 *   a   = LayerNorm(h + Dropout(W_o SelfAttention(h)))        (BertAttention)
 *   h'  = LayerNorm(a + Dropout(W_2 gelu(W_1 a)))             (BertIntermediate + BertOutput)
 */
import { Dropout, Embedding, LayerNorm, Linear, Module, ModuleList, MultiHeadAttention, activationByName, defaultPositionIds, defaultTokenTypeIds, type Activation } from '../../nn/index.js';
import { recycling, type Generator, type Tensor } from '../../tensor/index.js';
import { initNormalModule } from '../init.js';
import { additiveMaskOrNull } from '../masks.js';
import { asIds, PreTrainedModel } from '../modeling-utils.js';
import type { BaseModelOutputWithPooling, CommonForwardOptions, Ids } from '../outputs.js';
import { BertConfig } from './configuration-bert.js';

export interface BertInputs extends CommonForwardOptions {
  /** Token ids [batch, length] (int32). */
  inputIds: Ids;
  /** 1 for tokens to attend to, 0 for padding [batch, length]; default all ones. */
  attentionMask?: Ids;
  /** Segment ids (0 = sentence A, 1 = sentence B) [batch, length]; default zeros. */
  tokenTypeIds?: Ids;
  /** Position ids [batch or 1, length]; default 0, 1, 2, ... */
  positionIds?: Ids;
}

export class BertEmbeddings extends Module {
  word_embeddings: Embedding;
  position_embeddings: Embedding;
  token_type_embeddings: Embedding;
  LayerNorm: LayerNorm;
  dropout: Dropout;

  constructor(config: BertConfig) {
    super();
    this.word_embeddings = new Embedding(config.vocabSize, config.hiddenSize, { paddingIdx: config.padTokenId ?? undefined });
    this.position_embeddings = new Embedding(config.maxPositionEmbeddings, config.hiddenSize);
    this.token_type_embeddings = new Embedding(config.typeVocabSize, config.hiddenSize);
    this.LayerNorm = new LayerNorm(config.hiddenSize, { eps: config.layerNormEps });
    this.dropout = new Dropout(config.hiddenDropoutProb);
  }

  override forward(inputIds: Tensor, tokenTypeIds: Tensor, positionIds: Tensor): Tensor {
    // the same order of additions as transformers: (word + token type) + position
    const embeddings = this.word_embeddings.forward(inputIds)
      .add(this.token_type_embeddings.forward(tokenTypeIds))
      .add(this.position_embeddings.forward(positionIds));
    return this.dropout.forward(this.LayerNorm.forward(embeddings));
  }
}

/** Self-attention with separate query/key/value projections (biases on). */
export class BertSelfAttention extends MultiHeadAttention {
  query: Linear;
  key: Linear;
  value: Linear;

  constructor(config: BertConfig) {
    super({ numHeads: config.numAttentionHeads, headDim: config.hiddenSize / config.numAttentionHeads, dropout: config.attentionProbsDropoutProb });
    const allHeads = config.hiddenSize;
    this.query = new Linear(config.hiddenSize, allHeads);
    this.key = new Linear(config.hiddenSize, allHeads);
    this.value = new Linear(config.hiddenSize, allHeads);
  }

  protected override projectQueryKeyValue(hiddenStates: Tensor, keyValueStates: Tensor | null) {
    return this.projectSeparately({ query: this.query, key: this.key, value: this.value }, hiddenStates, keyValueStates);
  }
}

/** The post-LN residual step: LayerNorm(input + Dropout(dense(x))). */
export class BertResidualOutput extends Module {
  dense: Linear;
  LayerNorm: LayerNorm;
  dropout: Dropout;

  constructor(inFeatures: number, config: BertConfig) {
    super();
    this.dense = new Linear(inFeatures, config.hiddenSize);
    this.LayerNorm = new LayerNorm(config.hiddenSize, { eps: config.layerNormEps });
    this.dropout = new Dropout(config.hiddenDropoutProb);
  }

  override forward(x: Tensor, input: Tensor): Tensor {
    return this.LayerNorm.forward(this.dropout.forward(this.dense.forward(x)).add(input));
  }
}

export class BertAttention extends Module {
  self: BertSelfAttention;
  output: BertResidualOutput;

  constructor(config: BertConfig) {
    super();
    this.self = new BertSelfAttention(config);
    this.output = new BertResidualOutput(config.hiddenSize, config);
  }

  override forward(hiddenStates: Tensor, mask: Tensor | null, outputAttentions: boolean): { output: Tensor; probs: Tensor | null } {
    const { output, probs } = this.self.forward({ hiddenStates, mask, outputAttentions });
    return { output: this.output.forward(output, hiddenStates), probs };
  }
}

export class BertIntermediate extends Module {
  dense: Linear;
  private readonly act: Activation;

  constructor(config: BertConfig) {
    super();
    this.dense = new Linear(config.hiddenSize, config.intermediateSize);
    this.act = activationByName(config.hiddenAct);
  }

  override forward(x: Tensor): Tensor {
    return this.dense.forward(x, this.act);
  }
}

export class BertLayer extends Module {
  attention: BertAttention;
  intermediate: BertIntermediate;
  output: BertResidualOutput;

  constructor(config: BertConfig) {
    super();
    this.attention = new BertAttention(config);
    this.intermediate = new BertIntermediate(config);
    this.output = new BertResidualOutput(config.intermediateSize, config);
  }

  override forward(hiddenStates: Tensor, mask: Tensor | null, outputAttentions: boolean): { output: Tensor; probs: Tensor | null } {
    const attention = this.attention.forward(hiddenStates, mask, outputAttentions);
    const output = this.output.forward(this.intermediate.forward(attention.output), attention.output);
    return { output, probs: attention.probs };
  }
}

export class BertEncoder extends Module {
  layer: ModuleList<BertLayer>;

  constructor(config: BertConfig) {
    super();
    this.layer = new ModuleList(Array.from({ length: config.numHiddenLayers }, () => new BertLayer(config)));
  }

  override forward(hiddenStates: Tensor, mask: Tensor | null, options: CommonForwardOptions): { lastHiddenState: Tensor; hiddenStates?: Tensor[]; attentions?: Tensor[] } {
    // without gradients, each layer's intermediates are reused by the next (tensor/recycle.ts)
    return recycling(() => this.layers(hiddenStates, mask, options));
  }

  private layers(hiddenStates: Tensor, mask: Tensor | null, options: CommonForwardOptions): { lastHiddenState: Tensor; hiddenStates?: Tensor[]; attentions?: Tensor[] } {
    const allHidden: Tensor[] = [hiddenStates];
    const allAttentions: Tensor[] = [];
    let h = hiddenStates;
    for (const layer of this.layer) {
      const { output, probs } = recycling(() => layer.forward(h, mask, options.outputAttentions ?? false));
      h = output;
      allHidden.push(h);
      if (probs) allAttentions.push(probs);
    }
    return {
      lastHiddenState: h,
      ...(options.outputHiddenStates ? { hiddenStates: allHidden } : {}),
      ...(options.outputAttentions ? { attentions: allAttentions } : {}),
    };
  }
}

/** tanh(W h_[CLS] + b): the pooled sentence representation the classifier reads. */
export class BertPooler extends Module {
  dense: Linear;

  constructor(config: BertConfig) {
    super();
    this.dense = new Linear(config.hiddenSize, config.hiddenSize);
  }

  override forward(hiddenStates: Tensor): Tensor {
    return this.dense.forward(hiddenStates.select(1, 0)).tanh();
  }
}

export interface BertModelOptions {
  /** BertModel has a pooler unless a head that does not use it (MLM, token classification, QA) says otherwise. */
  addPoolingLayer?: boolean;
  /** Random generator for the initial weights. */
  generator?: Generator;
  /** Initialize the weights (heads pass false and initialize the whole model once). */
  initialize?: boolean;
}

/** The shared base of every BERT class: config class, prefix, ignored buffers. */
export abstract class BertPreTrainedModel extends PreTrainedModel<BertConfig> {
  static override readonly configClass = BertConfig;
  static override readonly baseModelPrefix = 'bert';
  /** Older checkpoints store the non-persistent position_ids / token_type_ids buffers. */
  static override readonly ignoreUnexpectedOnLoad = [/(^|\.)embeddings\.position_ids$/, /(^|\.)embeddings\.token_type_ids$/];

  protected override initModule(module: Module, _name: string, generator?: Generator): void {
    // (the MLM head's bias is its decoder Linear's bias, so it starts at zero like transformers')
    initNormalModule(module, this.config.initializerRange, generator);
  }
}

/** The bare encoder: lastHiddenState [batch, length, hidden] and poolerOutput [batch, hidden]. */
export class BertModel extends BertPreTrainedModel {
  embeddings: BertEmbeddings;
  encoder: BertEncoder;
  pooler: BertPooler | null;

  constructor(config: BertConfig, options: BertModelOptions = {}) {
    super(config);
    this.embeddings = new BertEmbeddings(config);
    this.encoder = new BertEncoder(config);
    this.pooler = (options.addPoolingLayer ?? true) ? new BertPooler(config) : null;
    if (options.initialize ?? true) this.initWeights(options.generator);
  }

  override forward(inputs: BertInputs): BaseModelOutputWithPooling {
    const inputIds = asIds(inputs.inputIds);
    const [batch, length] = inputIds.shape;
    const tokenTypeIds = inputs.tokenTypeIds !== undefined ? asIds(inputs.tokenTypeIds, 'tokenTypeIds') : defaultTokenTypeIds(batch, length);
    const positionIds = inputs.positionIds !== undefined ? asIds(inputs.positionIds, 'positionIds') : defaultPositionIds(length);
    const mask = inputs.attentionMask !== undefined ? additiveMaskOrNull(asIds(inputs.attentionMask, 'attentionMask')) : null;
    // without gradients, the next forward pass reuses this one's intermediates (tensor/recycle.ts)
    const encoded = recycling(() => this.encoder.forward(this.embeddings.forward(inputIds, tokenTypeIds, positionIds), mask, inputs));
    return {
      ...encoded,
      ...(this.pooler ? { poolerOutput: this.pooler.forward(encoded.lastHiddenState) } : {}),
    };
  }
}
