/**
 * BERT's task heads (Devlin et al., 2019, section 3 and figure 4): a small layer on top of the
 * encoder, trained with it. Losses are computed as transformers computes them when labels are given.
 */
import { Dropout, LayerNorm, Linear, Module, Parameter, activationByName, type Activation } from '../../nn/index.js';
import { empty, Tensor, type Generator } from '../../tensor/index.js';
import { clampIds, sequenceClassificationLoss, tokenCrossEntropy } from '../losses.js';
import { asIds } from '../modeling-utils.js';
import type { ClassifierOutput, Ids, PreTrainingOutput, QuestionAnsweringOutput } from '../outputs.js';
import { BertConfig } from './configuration-bert.js';
import { BertModel, BertPreTrainedModel, type BertInputs } from './modeling-bert.js';

export interface BertLabelsInputs extends BertInputs {
  /** Class ids (int32), or floats for regression / multi-label classification. */
  labels?: Tensor | readonly number[] | readonly (readonly number[])[];
}

export interface HeadOptions {
  generator?: Generator;
}

function labelTensor(labels: NonNullable<BertLabelsInputs['labels']>): Tensor {
  if (!Array.isArray(labels)) return labels as Tensor;
  const flat = (labels as readonly (number | readonly number[])[]).flat() as number[];
  const ints = flat.every(Number.isInteger);
  const data = ints ? Int32Array.from(flat) : Float32Array.from(flat);
  const shape = Array.isArray(labels[0]) ? [labels.length, (labels[0] as readonly number[]).length] : [labels.length];
  return Tensor.fromArray(data, shape);
}

function hiddenAndAttentions(o: { hiddenStates?: Tensor[]; attentions?: Tensor[] }) {
  return { ...(o.hiddenStates ? { hiddenStates: o.hiddenStates } : {}), ...(o.attentions ? { attentions: o.attentions } : {}) };
}

/** Classification or regression of the whole sequence from the pooled [CLS] vector. */
export class BertForSequenceClassification extends BertPreTrainedModel {
  bert: BertModel;
  dropout: Dropout;
  classifier: Linear;

  constructor(config: BertConfig, options: HeadOptions = {}) {
    super(config);
    this.bert = new BertModel(config, { initialize: false });
    this.dropout = new Dropout(config.classifierDropout ?? config.hiddenDropoutProb);
    this.classifier = new Linear(config.hiddenSize, config.numLabels);
    this.initWeights(options.generator);
  }

  override forward(inputs: BertLabelsInputs): ClassifierOutput {
    const out = this.bert.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.poolerOutput!));
    const result: ClassifierOutput = { logits, ...hiddenAndAttentions(out) };
    if (inputs.labels !== undefined) {
      const { loss, problemType } = sequenceClassificationLoss(logits, labelTensor(inputs.labels), this.config.numLabels, this.config.problemType);
      this.config.problemType = problemType; // transformers records the decision in the config
      result.loss = loss;
    }
    return result;
  }
}

/** A label per token (named-entity recognition, part-of-speech tagging). */
export class BertForTokenClassification extends BertPreTrainedModel {
  bert: BertModel;
  dropout: Dropout;
  classifier: Linear;

  constructor(config: BertConfig, options: HeadOptions = {}) {
    super(config);
    this.bert = new BertModel(config, { addPoolingLayer: false, initialize: false });
    this.dropout = new Dropout(config.classifierDropout ?? config.hiddenDropoutProb);
    this.classifier = new Linear(config.hiddenSize, config.numLabels);
    this.initWeights(options.generator);
  }

  override forward(inputs: BertLabelsInputs): ClassifierOutput {
    const out = this.bert.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.lastHiddenState));
    const result: ClassifierOutput = { logits, ...hiddenAndAttentions(out) };
    if (inputs.labels !== undefined) result.loss = tokenCrossEntropy(logits, asIds(labelTensor(inputs.labels), 'labels'));
    return result;
  }
}

export interface QuestionAnsweringInputs extends BertInputs {
  /** Index of the answer's first token per example [batch]. */
  startPositions?: Ids;
  /** Index of the answer's last token per example [batch]. */
  endPositions?: Ids;
}

/** Extractive question answering (SQuAD): a start and an end score for every token. */
export class BertForQuestionAnswering extends BertPreTrainedModel {
  bert: BertModel;
  qa_outputs: Linear;

  constructor(config: BertConfig, options: HeadOptions = {}) {
    super(config);
    this.bert = new BertModel(config, { addPoolingLayer: false, initialize: false });
    this.qa_outputs = new Linear(config.hiddenSize, config.numLabels);
    this.initWeights(options.generator);
  }

  override forward(inputs: QuestionAnsweringInputs): QuestionAnsweringOutput {
    const out = this.bert.forward(inputs);
    const logits = this.qa_outputs.forward(out.lastHiddenState); // [batch, length, 2]
    const startLogits = logits.select(2, 0).contiguous();
    const endLogits = logits.select(2, 1).contiguous();
    const result: QuestionAnsweringOutput = { startLogits, endLogits, ...hiddenAndAttentions(out) };
    if (inputs.startPositions !== undefined && inputs.endPositions !== undefined) {
      // positions outside the sequence are clamped to `length` and then ignored, as transformers does
      const length = startLogits.shape[1];
      const start = clampIds(asIds(inputs.startPositions, 'startPositions').reshape([-1]), 0, length);
      const end = clampIds(asIds(inputs.endPositions, 'endPositions').reshape([-1]), 0, length);
      const startLoss = tokenCrossEntropy(startLogits, start, length);
      const endLoss = tokenCrossEntropy(endLogits, end, length);
      result.loss = startLoss.add(endLoss).div(2);
    }
    return result;
  }
}

/** dense -> activation -> LayerNorm, before the vocabulary projection. */
export class BertPredictionHeadTransform extends Module {
  dense: Linear;
  LayerNorm: LayerNorm;
  private readonly act: Activation;

  constructor(config: BertConfig) {
    super();
    this.dense = new Linear(config.hiddenSize, config.hiddenSize);
    this.act = activationByName(config.hiddenAct);
    this.LayerNorm = new LayerNorm(config.hiddenSize, { eps: config.layerNormEps });
  }

  override forward(x: Tensor): Tensor {
    return this.LayerNorm.forward(this.act(this.dense.forward(x)));
  }
}

/**
 * Scores over the vocabulary: transform, then x E^T + bias with E the (tied) word embeddings.
 * `bias` is declared before `decoder` so that it is the saved name of the shared bias.
 */
export class BertLMPredictionHead extends Module {
  transform: BertPredictionHeadTransform;
  bias: Parameter;
  decoder: Linear;

  constructor(config: BertConfig, wordEmbeddings: Parameter) {
    super();
    this.transform = new BertPredictionHeadTransform(config);
    this.bias = new Parameter(empty([config.vocabSize]).fill_(0));
    this.decoder = new Linear(config.hiddenSize, config.vocabSize);
    // tie: the decoder's weight is the word embedding matrix, its bias is this.bias
    this.decoder.weight = wordEmbeddings;
    this.decoder.bias = this.bias;
  }

  override forward(x: Tensor): Tensor {
    return this.decoder.forward(this.transform.forward(x));
  }
}

export class BertOnlyMLMHead extends Module {
  predictions: BertLMPredictionHead;

  constructor(config: BertConfig, wordEmbeddings: Parameter) {
    super();
    this.predictions = new BertLMPredictionHead(config, wordEmbeddings);
  }

  override forward(x: Tensor): Tensor {
    return this.predictions.forward(x);
  }
}

/** Masked language modelling: predict the tokens hidden behind [MASK]. Labels -100 are ignored. */
export class BertForMaskedLM extends BertPreTrainedModel {
  bert: BertModel;
  cls: BertOnlyMLMHead;

  /**
   * When labels are given, run the prediction head only at the labelled positions (labels other
   * than -100): the loss is the same, `logits` is then [labelled tokens, vocab] in the order of the
   * flattened labels instead of [batch, length, vocab]. In masked-LM pretraining about 15% of the
   * tokens are labelled, and the head (a dense layer, LayerNorm and the projection onto the whole
   * vocabulary) is most of a small model's work. The same idea as ModernBERT's sparse_prediction in
   * transformers; off by default and not saved with the model; `kotoba pretrain` turns it on.
   */
  sparsePrediction = false;

  constructor(config: BertConfig, options: HeadOptions = {}) {
    super(config);
    this.bert = new BertModel(config, { addPoolingLayer: false, initialize: false });
    this.cls = new BertOnlyMLMHead(config, this.bert.embeddings.word_embeddings.weight);
    this.initWeights(options.generator);
  }

  override forward(inputs: BertLabelsInputs): ClassifierOutput {
    const out = this.bert.forward(inputs);
    const labels = inputs.labels === undefined ? undefined : asIds(labelTensor(inputs.labels), 'labels');
    let hidden = out.lastHiddenState;
    let targets = labels;
    if (labels && this.sparsePrediction) {
      const flat = labels.contiguousData();
      const positions: number[] = [];
      for (let i = 0; i < flat.length; i++) if (flat[i] !== -100) positions.push(i);
      const index = Tensor.fromArray(Int32Array.from(positions), [positions.length]);
      hidden = hidden.reshape([-1, hidden.shape[hidden.ndim - 1]]).indexSelect(0, index);
      targets = Tensor.fromArray(Int32Array.from(positions, (i) => flat[i]), [positions.length]);
    }
    const logits = this.cls.forward(hidden);
    const result: ClassifierOutput = { logits, ...hiddenAndAttentions(out) };
    if (targets) result.loss = tokenCrossEntropy(logits, targets);
    return result;
  }
}

export class BertPreTrainingHeads extends Module {
  predictions: BertLMPredictionHead;
  seq_relationship: Linear;

  constructor(config: BertConfig, wordEmbeddings: Parameter) {
    super();
    this.predictions = new BertLMPredictionHead(config, wordEmbeddings);
    this.seq_relationship = new Linear(config.hiddenSize, 2);
  }
}

export interface PreTrainingInputs extends BertLabelsInputs {
  /** 0 when sentence B follows sentence A, 1 when it is random [batch]. */
  nextSentenceLabel?: Ids;
}

/** BERT's two pretraining tasks together: masked LM and next-sentence prediction. */
export class BertForPreTraining extends BertPreTrainedModel {
  bert: BertModel;
  cls: BertPreTrainingHeads;

  constructor(config: BertConfig, options: HeadOptions = {}) {
    super(config);
    this.bert = new BertModel(config, { initialize: false });
    this.cls = new BertPreTrainingHeads(config, this.bert.embeddings.word_embeddings.weight);
    this.initWeights(options.generator);
  }

  override forward(inputs: PreTrainingInputs): PreTrainingOutput {
    const out = this.bert.forward(inputs);
    const predictionLogits = this.cls.predictions.forward(out.lastHiddenState);
    const seqRelationshipLogits = this.cls.seq_relationship.forward(out.poolerOutput!);
    const result: PreTrainingOutput = { predictionLogits, seqRelationshipLogits, ...hiddenAndAttentions(out) };
    if (inputs.labels !== undefined && inputs.nextSentenceLabel !== undefined) {
      const mlm = tokenCrossEntropy(predictionLogits, asIds(labelTensor(inputs.labels), 'labels'));
      const nsp = tokenCrossEntropy(seqRelationshipLogits, asIds(inputs.nextSentenceLabel, 'nextSentenceLabel').reshape([-1]));
      result.loss = mlm.add(nsp);
    }
    return result;
  }
}
