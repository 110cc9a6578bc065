/**
 * What forward() returns: transformers' ModelOutput fields, camelCased. Optional fields are
 * present only when asked for (outputHiddenStates, outputAttentions, useCache, labels).
 */
import type { KeyValueCache } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';

/** Options every forward() takes. */
export interface CommonForwardOptions {
  /** Also return every layer's hidden states (the embedding output first). */
  outputHiddenStates?: boolean;
  /** Also return every layer's attention probabilities [batch, heads, queryLength, keyLength]. */
  outputAttentions?: boolean;
}

export type Ids = Tensor | readonly number[] | readonly (readonly number[])[];

export interface BaseModelOutput {
  lastHiddenState: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}

export interface BaseModelOutputWithPooling extends BaseModelOutput {
  /** tanh(W h[CLS] + b): BERT's sentence representation (absent when the model has no pooler). */
  poolerOutput?: Tensor;
}

export interface BaseModelOutputWithPast extends BaseModelOutput {
  pastKeyValues?: KeyValueCache;
}

export interface ClassifierOutput {
  loss?: Tensor;
  logits: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}

export interface CausalLMOutput extends ClassifierOutput {
  pastKeyValues?: KeyValueCache;
}

export interface QuestionAnsweringOutput {
  loss?: Tensor;
  startLogits: Tensor;
  endLogits: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}

export interface PreTrainingOutput {
  loss?: Tensor;
  predictionLogits: Tensor;
  seqRelationshipLogits: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}

export interface Seq2SeqModelOutput {
  /** The decoder's last hidden state. */
  lastHiddenState: Tensor;
  pastKeyValues?: KeyValueCache;
  decoderHiddenStates?: Tensor[];
  decoderAttentions?: Tensor[];
  crossAttentions?: Tensor[];
  encoderLastHiddenState: Tensor;
  encoderHiddenStates?: Tensor[];
  encoderAttentions?: Tensor[];
}

export interface Seq2SeqLMOutput extends Omit<Seq2SeqModelOutput, 'lastHiddenState'> {
  loss?: Tensor;
  logits: Tensor;
}
