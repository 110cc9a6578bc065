/**
 * GenerationConfig: the options of generate(), transformers' GenerationConfig fields in
 * camelCase, with its defaults. The values used for one call are, as in transformers:
 * the defaults, then generation_config.json of the model folder (or, when the folder has none,
 * the generation fields of config.json: special token ids), then the call's options.
 */
import type { KeyValueCache } from '../nn/index.js';
import type { Generator, Tensor } from '../tensor/index.js';
import type { LogitsProcessorLike } from './logits/processor.js';
import type { StoppingCriterion } from './stopping/criteria.js';

export type EarlyStopping = boolean | 'never';

/** What a caller may pass; every field is optional. */
export interface GenerationOptions {
  /** Total length (prompt included for decoder-only models); transformers' default 20. */
  maxLength?: number;
  /** Number of tokens to generate; wins over maxLength. */
  maxNewTokens?: number | null;
  minLength?: number;
  minNewTokens?: number | null;
  doSample?: boolean;
  temperature?: number;
  /** Keep the k most likely tokens when sampling (default 50; 0 turns it off). */
  topK?: number | null;
  topP?: number | null;
  typicalP?: number | null;
  repetitionPenalty?: number | null;
  noRepeatNgramSize?: number | null;
  numBeams?: number;
  lengthPenalty?: number;
  /** Beam search stops when numBeams hypotheses are finished (true), heuristically (false), or never early ('never'). */
  earlyStopping?: EarlyStopping;
  numReturnSequences?: number;
  eosTokenId?: number | number[] | null;
  padTokenId?: number | null;
  bosTokenId?: number | null;
  decoderStartTokenId?: number | null;
  badWordsIds?: number[][] | null;
  forcedBosTokenId?: number | null;
  forcedEosTokenId?: number | number[] | null;
  /** Stop when the generated text ends with one of these (needs `tokenizer`). */
  stopStrings?: string | string[] | null;
  /** Seed of the sampling random numbers: the same seed gives the same tokens. */
  seed?: number | null;
  /** Or a Generator to draw from (wins over seed). */
  generator?: Generator | null;
  /** Keep keys/values of past positions (default true); false recomputes the whole prefix each step. */
  useCache?: boolean;
  /** Return { sequences, sequencesScores, scores, ... } instead of the sequences tensor. */
  returnDictInGenerate?: boolean;
  /** With returnDictInGenerate: the processed scores of each step. */
  outputScores?: boolean;
  /** With returnDictInGenerate: the raw logits of each step. */
  outputLogits?: boolean;
  /** Kotoba: per-token log-probabilities of the chosen tokens (log-softmax of the model's logits). */
  outputLogprobs?: boolean;
  /** Kotoba: also the n most likely alternatives at each step (implies outputLogprobs). */
  topLogprobs?: number;
  /** Extra logits processors, applied after the built-in ones (as transformers does). */
  logitsProcessor?: LogitsProcessorLike[];
  /** Extra stopping criteria. */
  stoppingCriteria?: StoppingCriterion[];
  /** Used by stopStrings (and by generateStream for text). */
  tokenizer?: TokenizerLike | null;
  /** Stops generation between two steps. */
  signal?: AbortSignal | null;
  /** 1 = attend, 0 = padding; default: all ones (decoder-only prompts are left-padded). */
  attentionMask?: Tensor | readonly number[] | readonly (readonly number[])[] | null;
  /** Encoder-decoder: start the decoder from these ids instead of decoderStartTokenId. */
  decoderInputIds?: Tensor | null;
  /** Continue from a cache a previous forward filled (advanced). */
  pastKeyValues?: KeyValueCache | null;
}

/** What decoding needs of a tokenizer: turning ids back into text. */
export interface TokenizerLike {
  decode(ids: ArrayLike<number>, options?: { skipSpecialTokens?: boolean }): string;
}

/** transformers' GenerationConfig defaults (generation/configuration_utils.py). */
export const GENERATION_DEFAULTS = {
  maxLength: 20,
  maxNewTokens: null as number | null,
  minLength: 0,
  minNewTokens: null as number | null,
  doSample: false,
  temperature: 1.0,
  topK: 50 as number | null,
  topP: 1.0 as number | null,
  typicalP: 1.0 as number | null,
  repetitionPenalty: 1.0 as number | null,
  noRepeatNgramSize: 0 as number | null,
  numBeams: 1,
  lengthPenalty: 1.0,
  earlyStopping: false as EarlyStopping,
  numReturnSequences: 1,
  eosTokenId: null as number | number[] | null,
  padTokenId: null as number | null,
  bosTokenId: null as number | null,
  decoderStartTokenId: null as number | null,
  badWordsIds: null as number[][] | null,
  forcedBosTokenId: null as number | null,
  forcedEosTokenId: null as number | number[] | null,
  stopStrings: null as string | string[] | null,
  seed: null as number | null,
  useCache: true,
  returnDictInGenerate: false,
  outputScores: false,
  outputLogits: false,
  outputLogprobs: false,
  topLogprobs: 0,
};

export type GenerationConfig = typeof GENERATION_DEFAULTS & Omit<GenerationOptions, keyof typeof GENERATION_DEFAULTS>;

/** snake_case (generation_config.json) -> camelCase. */
function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The generation fields of a generation_config.json object, camelCased (unknown keys dropped). */
export function generationFieldsFromJson(json: Record<string, unknown>): Partial<GenerationOptions> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) {
    const c = camel(k);
    if (c in GENERATION_DEFAULTS && v !== undefined) out[c] = v;
  }
  return out as Partial<GenerationOptions>;
}

/** What generate() reads of a model's config. */
export interface ModelConfigLike {
  isEncoderDecoder?: boolean;
  eosTokenId?: number | null;
  bosTokenId?: number | null;
  padTokenId?: number | null;
  decoderStartTokenId?: number | null;
}

/**
 * The config for one call. With a generation_config.json the model's own config is not read
 * (transformers loads one or the other); then the options; then transformers'
 * `_prepare_special_tokens` fallbacks: decoder start = bos for encoder-decoder models,
 * pad = the first eos when unset.
 */
export function resolveGenerationConfig(
  modelConfig: ModelConfigLike,
  generationJson: Record<string, unknown> | undefined,
  options: GenerationOptions,
): GenerationConfig {
  const fromModel: Partial<GenerationOptions> = generationJson
    ? generationFieldsFromJson(generationJson)
    : {
      eosTokenId: modelConfig.eosTokenId ?? null,
      bosTokenId: modelConfig.bosTokenId ?? null,
      padTokenId: modelConfig.padTokenId ?? null,
      decoderStartTokenId: modelConfig.decoderStartTokenId ?? null,
    };
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const config = { ...GENERATION_DEFAULTS, ...fromModel, ...given } as GenerationConfig;
  if (config.decoderStartTokenId === null && modelConfig.isEncoderDecoder) config.decoderStartTokenId = config.bosTokenId;
  const eos = eosIds(config);
  if (config.padTokenId === null && eos.length > 0) config.padTokenId = eos[0];
  if (config.topLogprobs > 0) config.outputLogprobs = true;
  return config;
}

export function eosIds(config: Pick<GenerationConfig, 'eosTokenId'>): number[] {
  const e = config.eosTokenId;
  return e === null || e === undefined ? [] : typeof e === 'number' ? [e] : [...e];
}
