/**
 * inspectModel: everything the explorer shows about one input, computed with one forward pass
 * of a loaded model — tokens, attention weights per layer and head, hidden-state norms and their
 * cosine to the previous layer, the logit lens, and the head's predictions. No server needed.
 */
import { OptionError } from '../errors.js';
import type { PreTrainedModel } from '../models/index.js';
import type { Tensor } from '../tensor/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import { greedyDecoderIds, runForward, type RawHidden } from './forward.js';
import { logitLens } from './lens.js';
import { attentionMatrices, cosine, norm, round, tokenVectors } from './numeric.js';
import { predictions } from './predictions.js';
import { describeModel } from './summary.js';
import { tokenizeText, tokensFromIds } from './tokens.js';
import type { HiddenStateStats, Inspection } from './types.js';

export interface InspectOptions {
  /** The model's name in the result (default: its class name). */
  name?: string;
  /** Use these ids instead of tokenizing the text (generation steps pass the grown sequence). */
  inputIds?: readonly number[];
  /** T5: the decoder's text (the decoder start token is put before it). */
  decoderText?: string;
  /** T5: the decoder's ids, start token first. Without these or decoderText, T5's greedy output is used. */
  decoderInputIds?: readonly number[];
  /** T5: the longest greedy output (default 20 tokens). */
  maxNewTokens?: number;
  /** Temperature of the next-token probabilities (default 1). */
  temperature?: number;
  /** How many candidates to list (default 10). */
  topK?: number;
  /** How many tokens the logit lens lists per layer and position (default 5). */
  lensTopK?: number;
  /**
   * The longest sequence inspected (default 128; never more than the model takes). The answer
   * grows with layers × heads × tokens², so the explorer is meant for short texts.
   */
  maxTokens?: number;
}

/** The longest input (and T5 decoder sequence) an inspection takes. */
export function tokenLimit(maxLength: number, options: InspectOptions): number {
  return Math.min(maxLength, positiveInteger(options.maxTokens, 128, 'maxTokens'));
}

/** Norms per layer and token, and the cosine of each token's state to its state one layer down. */
function hiddenStats(raw: RawHidden): HiddenStateStats {
  const layers = raw.tensors.map((t: Tensor) => tokenVectors(t));
  return {
    stack: raw.stack,
    tokens: raw.tokens,
    norms: layers.map((vectors) => vectors.map((v) => round(norm(v)))),
    cosineToPrevious: layers.map((vectors, l) => vectors.map((v, i) => (l === 0 ? null : round(cosine(v, layers[l - 1][i]))))),
  };
}

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new OptionError(`${what} must be a positive integer, got ${value}`);
  return value;
}

export function inspectModel(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, text: string, options: InspectOptions = {}): Inspection {
  const summary = describeModel(model, tokenizer, options.name ?? model.constructor.name);
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new OptionError(`temperature must be a positive number, got ${temperature}`);
  const k = positiveInteger(options.topK, 10, 'topK');

  const limit = tokenLimit(summary.maxLength, options);

  let tokens;
  let truncated = false;
  if (options.inputIds !== undefined) {
    if (options.inputIds.length === 0) throw new OptionError('inputIds is empty');
    if (options.inputIds.length > limit) throw new OptionError(`${options.inputIds.length} tokens exceed the explorer's limit of ${limit}`);
    tokens = tokensFromIds(tokenizer, options.inputIds, summary.vocabSize);
  } else {
    ({ tokens, truncated } = tokenizeText(tokenizer, text, limit));
  }
  const ids = tokens.map((t) => t.id);
  for (const t of tokens) {
    if (t.id >= summary.vocabSize) throw new OptionError(`the tokenizer gave id ${t.id} ("${t.piece}"), outside the model's vocabulary of ${summary.vocabSize}: tokenizer and model do not belong together`);
  }

  let outputTokens;
  if (summary.family === 't5') {
    const config = model.config as unknown as { decoderStartId: number; eosTokenId: number | null };
    let decoderIds: number[];
    if (options.decoderInputIds !== undefined) decoderIds = [...options.decoderInputIds];
    else if (options.decoderText !== undefined) decoderIds = [config.decoderStartId, ...tokenizer.encode(options.decoderText, { addSpecialTokens: false })];
    else decoderIds = greedyDecoderIds(model, ids, config.decoderStartId, config.eosTokenId, Math.min(limit - 1, positiveInteger(options.maxNewTokens, 20, 'maxNewTokens')));
    if (decoderIds.length === 0) throw new OptionError('decoderInputIds is empty: start with the decoder start token');
    if (decoderIds.length > limit) throw new OptionError(`the decoder sequence has ${decoderIds.length} tokens, more than the explorer's limit of ${limit}`);
    outputTokens = tokensFromIds(tokenizer, decoderIds, summary.vocabSize);
  }

  const raw = runForward(model, summary.family, ids, outputTokens?.map((t) => t.id) ?? null);
  const result: Inspection = {
    model: summary,
    text,
    tokens,
    ...(outputTokens ? { outputTokens } : {}),
    truncated,
    attentions: raw.attentions.map(({ tensors, ...rest }) => ({ ...rest, weights: tensors.map(attentionMatrices) })),
    hiddenStates: raw.hidden.map(hiddenStats),
    predictions: predictions({ model, tokenizer, task: summary.task, logits: raw.logits, tokens, outputTokens, temperature, k }),
  };
  // the logit lens needs the output embedding: decoder models with their LM head
  const lensStates = raw.hidden.find((h) => h.stack === (summary.family === 't5' ? 'decoder' : 'model'));
  if ((summary.task === 'causal-lm' || summary.task === 'seq2seq') && lensStates) {
    result.logitLens = logitLens(model, tokenizer, lensStates.tensors, positiveInteger(options.lensTopK, 5, 'lensTopK'));
  }
  return result;
}
