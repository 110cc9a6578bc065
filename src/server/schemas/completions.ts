/** POST /v1/completions: the request body, validated field by field (OpenAI's legacy Completions API). */
import { invalid } from '../errors.js';
import type { ModelInfo } from '../engine.js';
import {
  type Body, logitBias, optionalBoolean, optionalNumber, optionalString, rejectUnknown, stopSequences, textOrTokens,
} from './fields.js';
import { sampling, streamOptions, type Sampling } from './sampling.js';

export interface CompletionRequest extends Sampling {
  model: string;
  prompts: (string | number[])[];
  maxTokens: number;
  n: number;
  bestOf: number;
  stream: boolean;
  includeUsage: boolean;
  /** 0-5 alternatives per token, or null for no logprobs. */
  logprobs: number | null;
  echo: boolean;
  user: string | null;
}

const KNOWN = [
  'model', 'prompt', 'max_tokens', 'temperature', 'top_p', 'n', 'stream', 'stream_options', 'logprobs', 'echo', 'stop',
  'presence_penalty', 'frequency_penalty', 'best_of', 'logit_bias', 'seed', 'user', 'suffix', 'engine',
];

/** Most generations one request may ask for (prompts x best_of). */
export const MAX_GENERATIONS = 128;

export function parseCompletionRequest(body: Body, model: string, info: ModelInfo): CompletionRequest {
  rejectUnknown(body, KNOWN);
  // OpenAI's default prompt is the end-of-text token: an empty prompt starts from it.
  const prompts = Object.hasOwn(body, 'prompt') && body['prompt'] !== null ? textOrTokens(body['prompt'], 'prompt', info.vocabSize, 2048) : [''];
  const suffix = optionalString(body, 'suffix', 100_000);
  if (suffix) throw invalid('suffix', `The model '${model}' does not support 'suffix' (insertion needs a fill-in-the-middle model).`, 'unsupported_parameter');
  const maxTokens = optionalNumber(body, 'max_tokens', { min: 0, max: info.contextLength, integer: true }, 16);
  const n = optionalNumber(body, 'n', { min: 1, max: 128, integer: true }, 1);
  const bestOf = optionalNumber(body, 'best_of', { min: 1, max: 20, integer: true }, n);
  if (bestOf < n) throw invalid('best_of', `Invalid 'best_of': it must be at least n (${n}), got ${bestOf}.`, 'invalid_value');
  const stream = optionalBoolean(body, 'stream', false);
  if (stream && bestOf > n) throw invalid('best_of', "Invalid 'best_of': streaming is not possible when best_of is greater than n.", 'invalid_value');
  if (prompts.length * bestOf > MAX_GENERATIONS) {
    throw invalid(bestOf > 1 ? 'best_of' : 'n', `This request asks for ${prompts.length * bestOf} generations (prompts x best_of); at most ${MAX_GENERATIONS} are allowed.`, 'invalid_value');
  }
  return {
    model,
    prompts,
    maxTokens,
    n,
    bestOf,
    stream,
    includeUsage: streamOptions(body, stream),
    logprobs: optionalNumber(body, 'logprobs', { min: 0, max: 5, integer: true }, null),
    echo: optionalBoolean(body, 'echo', false),
    user: optionalString(body, 'user', 256),
    ...sampling(body),
    stop: stopSequences(body),
    logitBias: logitBias(body, info.vocabSize),
  };
}
