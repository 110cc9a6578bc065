/**
 * Checks a resolved generation config before any work is done. Every bad option is an
 * OptionError (a KotobaError) that names the option, its allowed range and the value given.
 */
import { OptionError } from '../errors.js';
import { eosIds, type GenerationConfig } from './configuration.js';

function fail(name: string, range: string, value: unknown): never {
  throw new OptionError(`generate: ${name} must be ${range}, got ${JSON.stringify(value)}`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkTokenId(name: string, id: unknown, vocab: number | null): void {
  if (id === null || id === undefined) return;
  if (!isInt(id) || id < 0 || (vocab !== null && id >= vocab)) fail(name, `a token id in [0, ${vocab === null ? 'vocab' : vocab - 1}]`, id);
}

/** Options that do not depend on the prompt or the model. */
export function validateGenerationConfig(c: GenerationConfig, vocab: number | null = null): void {
  if (!isInt(c.numBeams) || c.numBeams < 1) fail('numBeams', 'an integer >= 1', c.numBeams);
  if (!isInt(c.numReturnSequences) || c.numReturnSequences < 1) fail('numReturnSequences', 'an integer >= 1', c.numReturnSequences);
  if (c.numBeams > 1 && c.numReturnSequences > c.numBeams) fail('numReturnSequences', `an integer in [1, numBeams = ${c.numBeams}] with beam search`, c.numReturnSequences);
  if (c.numBeams === 1 && !c.doSample && c.numReturnSequences > 1) {
    fail('numReturnSequences', '1 with greedy search (set doSample: true or numBeams > 1 for several sequences)', c.numReturnSequences);
  }
  if (c.maxNewTokens !== null && (!isInt(c.maxNewTokens) || c.maxNewTokens < 1)) fail('maxNewTokens', 'an integer >= 1', c.maxNewTokens);
  if (!isInt(c.maxLength) || c.maxLength < 1) fail('maxLength', 'an integer >= 1', c.maxLength);
  if (!isInt(c.minLength) || c.minLength < 0) fail('minLength', 'an integer >= 0', c.minLength);
  if (c.minNewTokens !== null && (!isInt(c.minNewTokens) || c.minNewTokens < 0)) fail('minNewTokens', 'an integer >= 0', c.minNewTokens);
  if (!isNum(c.temperature) || c.temperature < 0) fail('temperature', 'a number > 0', c.temperature);
  if (c.doSample && c.temperature === 0) fail('temperature', 'a number > 0 when sampling (use doSample: false for greedy decoding)', c.temperature);
  if (c.topK !== null && (!isInt(c.topK) || c.topK < 0)) fail('topK', 'an integer >= 0 (0 turns it off)', c.topK);
  if (c.topP !== null && !(isNum(c.topP) && c.topP > 0 && c.topP <= 1)) fail('topP', 'a number in (0, 1]', c.topP);
  if (c.typicalP !== null && !(isNum(c.typicalP) && c.typicalP > 0 && c.typicalP <= 1)) fail('typicalP', 'a number in (0, 1]', c.typicalP);
  if (c.repetitionPenalty !== null && !(isNum(c.repetitionPenalty) && c.repetitionPenalty > 0)) fail('repetitionPenalty', 'a number > 0 (1 turns it off)', c.repetitionPenalty);
  if (c.noRepeatNgramSize !== null && (!isInt(c.noRepeatNgramSize) || c.noRepeatNgramSize < 0)) fail('noRepeatNgramSize', 'an integer >= 0', c.noRepeatNgramSize);
  if (!isNum(c.lengthPenalty)) fail('lengthPenalty', 'a finite number', c.lengthPenalty);
  if (c.earlyStopping !== true && c.earlyStopping !== false && c.earlyStopping !== 'never') fail('earlyStopping', "true, false or 'never'", c.earlyStopping);
  if (c.seed !== null && !isNum(c.seed)) fail('seed', 'a finite number', c.seed);
  if (!isInt(c.topLogprobs) || c.topLogprobs < 0) fail('topLogprobs', 'an integer >= 0', c.topLogprobs);
  if (vocab !== null && c.topLogprobs > vocab) fail('topLogprobs', `an integer in [0, vocab size ${vocab}]`, c.topLogprobs);
  for (const id of eosIds(c)) checkTokenId('eosTokenId', id, vocab);
  for (const name of ['padTokenId', 'bosTokenId', 'decoderStartTokenId', 'forcedBosTokenId'] as const) checkTokenId(name, c[name], vocab);
  const forcedEos = c.forcedEosTokenId;
  for (const id of forcedEos === null || forcedEos === undefined ? [] : typeof forcedEos === 'number' ? [forcedEos] : forcedEos) checkTokenId('forcedEosTokenId', id, vocab);
  if (c.badWordsIds !== null && !(Array.isArray(c.badWordsIds) && c.badWordsIds.every((w) => Array.isArray(w) && w.length > 0 && w.every((t) => isInt(t) && t >= 0)))) {
    fail('badWordsIds', 'a list of non-empty lists of token ids', c.badWordsIds);
  }
  if (c.stopStrings !== null && !c.tokenizer) fail('tokenizer', 'given when stopStrings is set (stop strings are matched on decoded text)', null);
}

/**
 * The prompt and the length limit against the model's context (n_positions for GPT-2; null for
 * models without a position limit such as T5): a prompt that does not fit, or a maxNewTokens
 * that would run past the context, is an error rather than a crash in the middle.
 */
export function validateLengths(c: GenerationConfig, promptLength: number, context: number | null, isEncoderDecoder: boolean): void {
  if (context === null) return;
  if (!isEncoderDecoder && promptLength > context) {
    throw new OptionError(`generate: the prompt has ${promptLength} tokens, more than the model's context of ${context} positions; shorten it to at most ${context - 1} tokens`);
  }
  const newTokens = c.maxLength - (isEncoderDecoder ? 1 : promptLength);
  if (c.maxNewTokens !== null && c.maxLength > context) {
    throw new OptionError(`generate: maxNewTokens must be in [1, ${context - promptLength}] for a ${promptLength}-token prompt (the model's context is ${context} positions), got ${c.maxNewTokens}`);
  }
  if (c.maxLength > context && newTokens > 0) {
    throw new OptionError(`generate: maxLength must be in [1, ${context}] (the model's context), got ${c.maxLength}`);
  }
}
