/**
 * What generate() needs of a model, and the calls it makes. A decoder-only model (GPT-2) is
 * called with the new token(s), the padding mask over past + new tokens, their position ids
 * and the cache; an encoder-decoder model (T5) runs its encoder once and then its decoder with
 * the encoder output, the encoder's padding mask and the decoder's cache, as transformers'
 * prepare_inputs_for_generation does.
 */
import { OptionError } from '../errors.js';
import type { KeyValueCache } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import type { ModelConfigLike } from './configuration.js';

export interface GenerativeModelConfig extends ModelConfigLike {
  vocabSize?: number;
  /** GPT-2's context (n_positions). */
  nPositions?: number;
  maxPositionEmbeddings?: number;
}

export interface StepOutput {
  /** [batch, length, vocab] (or [batch, 1, vocab] when the model honours logitsToKeep). */
  logits?: Tensor;
  pastKeyValues?: KeyValueCache;
  encoderLastHiddenState?: Tensor;
}

export interface GenerativeModel {
  readonly config: GenerativeModelConfig;
  /** generation_config.json of the model folder, if any. */
  generationConfig?: Record<string, unknown>;
  forward(inputs: any): StepOutput;
  /** Encoder-decoder models: the encoder stack (T5's `encoder`), or a getEncoder() method. */
  getEncoder?(): { forward(inputs: any): { lastHiddenState: Tensor } };
  encoder?: { forward(inputs: any): { lastHiddenState: Tensor } };
}

/** The model's context length, or null when positions are unlimited (relative positions). */
export function contextLength(model: GenerativeModel): number | null {
  const c = model.config;
  if (c.isEncoderDecoder) return null;
  return c.nPositions ?? c.maxPositionEmbeddings ?? null;
}

/** Runs the encoder of an encoder-decoder model: lastHiddenState [batch, length, hidden]. */
export function runEncoder(model: GenerativeModel, inputIds: Tensor, attentionMask: Tensor): Tensor {
  const encoder = model.getEncoder?.() ?? model.encoder;
  if (!encoder) throw new OptionError(`generate: ${model.constructor.name} is an encoder-decoder model without an encoder to run`);
  return encoder.forward({ inputIds, attentionMask }).lastHiddenState;
}

export interface DecoderStepInputs {
  /** The ids to feed: the new token(s) with a cache, the whole sequence without. */
  ids: Tensor;
  /** Decoder-only: the padding mask over every position so far. Encoder-decoder: the encoder's mask. */
  attentionMask: Tensor;
  /** Decoder-only: positions of `ids`. */
  positionIds?: Tensor;
  encoderHiddenStates?: Tensor;
  cache: KeyValueCache | null;
  useCache: boolean;
}

/** One forward step; returns the logits of the last position [batch, vocab] and the cache. */
export function forwardStep(model: GenerativeModel, s: DecoderStepInputs): { logits: Tensor; cache: KeyValueCache | null } {
  const common = { useCache: s.useCache, ...(s.cache ? { pastKeyValues: s.cache } : {}), logitsToKeep: 1 };
  const out = model.config.isEncoderDecoder
    ? model.forward({
      decoderInputIds: s.ids,
      attentionMask: s.attentionMask,
      encoderOutputs: { lastHiddenState: s.encoderHiddenStates },
      ...common,
    })
    : model.forward({ inputIds: s.ids, attentionMask: s.attentionMask, positionIds: s.positionIds, ...common });
  if (!out.logits) {
    throw new OptionError(`generate: ${model.constructor.name} has no language-model head (no logits); use GPT2LMHeadModel or T5ForConditionalGeneration`);
  }
  const length = out.logits.shape[1];
  const logits = out.logits.select(1, length - 1).contiguous();
  return { logits, cache: s.useCache ? (out.pastKeyValues ?? null) : null };
}
