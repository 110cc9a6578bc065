/**
 * Generation one token at a time: pick the next token of a GPT model's input (or of T5's decoder
 * sequence) — greedily or by sampling at a temperature — and inspect the grown sequence, so a
 * person can watch attention and probabilities change from step to step.
 */
import { OptionError } from '../errors.js';
import type { PreTrainedModel } from '../models/index.js';
import { noGrad, type Tensor } from '../tensor/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import { inspectModel, tokenLimit, type InspectOptions } from './inspect.js';
import { logitsRow, round, seededRandom, softmax } from './numeric.js';
import { describeModel } from './summary.js';
import { tokenizeText } from './tokens.js';
import type { GenerationStep } from './types.js';

export interface StepOptions extends InspectOptions {
  /** Sample from softmax(logits / temperature) instead of taking the most likely token. */
  sample?: boolean;
  /** Seed of the sampling (default 0): the same seed and sequence give the same token. */
  seed?: number;
}

type AnyForward = (inputs: Record<string, unknown>) => { logits: Tensor };

function pick(probs: Float64Array, sample: boolean, seed: number): number {
  if (!sample) {
    let best = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
    return best;
  }
  let r = seededRandom(seed)();
  for (let i = 0; i < probs.length; i++) {
    r -= probs[i];
    if (r < 0) return i;
  }
  return probs.length - 1;
}

export function generateStep(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, text: string, options: StepOptions = {}): GenerationStep {
  const summary = describeModel(model, tokenizer, options.name ?? model.constructor.name);
  if (summary.task !== 'causal-lm' && summary.task !== 'seq2seq') {
    throw new OptionError(`${summary.architecture} does not generate text: step-by-step generation needs a GPT (LM head) or T5 model`);
  }
  const temperature = options.temperature ?? 1;
  const forward = (model.forward as unknown as AnyForward).bind(model);
  const limit = tokenLimit(summary.maxLength, options);
  const ids = options.inputIds ? [...options.inputIds] : tokenizeText(tokenizer, text, limit).tokens.map((t) => t.id);
  // mix the seed with the sequence lengths so successive steps draw different numbers
  const seed = (options.seed ?? 0) + ids.length * 7919 + (options.decoderInputIds?.length ?? 0) * 104729;

  const config = model.config as unknown as { decoderStartId?: number; eosTokenId: number | null };
  if (summary.family === 't5') {
    const decoderIds = options.decoderInputIds ? [...options.decoderInputIds] : [config.decoderStartId ?? 0];
    const logits = noGrad(() => forward({ inputIds: [ids], decoderInputIds: [decoderIds] }).logits);
    const probs = softmax(logitsRow(logits, decoderIds.length - 1), temperature);
    const chosen = pick(probs, options.sample ?? false, seed);
    return finish(model, tokenizer, text, { ...options, inputIds: ids, decoderInputIds: [...decoderIds, chosen] }, chosen, probs[chosen], config.eosTokenId);
  }
  if (ids.length >= limit) throw new OptionError(`the sequence has reached the explorer's limit of ${limit} tokens`);
  const logits = noGrad(() => forward({ inputIds: [ids] }).logits);
  const probs = softmax(logitsRow(logits, ids.length - 1), temperature);
  const chosen = pick(probs, options.sample ?? false, seed);
  return finish(model, tokenizer, text, { ...options, inputIds: [...ids, chosen] }, chosen, probs[chosen], config.eosTokenId);
}

function finish(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, text: string, next: InspectOptions, chosen: number, prob: number, eosId: number | null): GenerationStep {
  const inspection = inspectModel(model, tokenizer, text, next);
  return {
    chosen: { id: chosen, token: tokenizer.convertIdsToTokens(chosen) ?? `<${chosen}>`, text: tokenizer.decode([chosen]), prob: round(prob) },
    finished: chosen === eosId,
    inspection,
  };
}
