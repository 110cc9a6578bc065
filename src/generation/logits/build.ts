/**
 * The processors a generation config asks for, in transformers' order
 * (GenerationMixin._get_logits_processor): repetition penalty, no-repeat n-grams, bad words,
 * minimum lengths, forced first/last tokens, the caller's own processors, and last the sampling
 * warpers (temperature, top-k, top-p, typical), which only apply when doSample is set.
 */
import { eosIds, type GenerationConfig } from '../configuration.js';
import { NoBadWordsLogitsProcessor } from './bad-words.js';
import { ForcedBOSTokenLogitsProcessor, ForcedEOSTokenLogitsProcessor } from './forced-tokens.js';
import { MinLengthLogitsProcessor, MinNewTokensLengthLogitsProcessor } from './min-length.js';
import { NoRepeatNGramLogitsProcessor } from './no-repeat-ngram.js';
import { LogitsProcessorList } from './processor.js';
import { RepetitionPenaltyLogitsProcessor } from './repetition-penalty.js';
import { TemperatureLogitsWarper } from './temperature.js';
import { TopKLogitsWarper } from './top-k.js';
import { TopPLogitsWarper } from './top-p.js';
import { TypicalLogitsWarper } from './typical.js';

/**
 * config: the resolved config, with maxLength already final. inputLength: the length of the
 * ids the decoder starts from (the prompt, or 1 for the decoder start token).
 */
export function buildLogitsProcessors(config: GenerationConfig, inputLength: number): LogitsProcessorList {
  const list = new LogitsProcessorList();
  const eos = eosIds(config);
  if (config.repetitionPenalty !== null && config.repetitionPenalty !== 1) list.push(new RepetitionPenaltyLogitsProcessor(config.repetitionPenalty));
  if (config.noRepeatNgramSize !== null && config.noRepeatNgramSize > 0) list.push(new NoRepeatNGramLogitsProcessor(config.noRepeatNgramSize));
  if (config.badWordsIds) list.push(new NoBadWordsLogitsProcessor(config.badWordsIds, eos));
  if (config.minLength > 0 && eos.length > 0) list.push(new MinLengthLogitsProcessor(config.minLength, eos));
  if (config.minNewTokens !== null && config.minNewTokens > 0 && eos.length > 0) {
    list.push(new MinNewTokensLengthLogitsProcessor(inputLength, config.minNewTokens, eos));
  }
  if (config.forcedBosTokenId !== null && config.forcedBosTokenId !== undefined) list.push(new ForcedBOSTokenLogitsProcessor(config.forcedBosTokenId));
  if (config.forcedEosTokenId !== null && config.forcedEosTokenId !== undefined) {
    list.push(new ForcedEOSTokenLogitsProcessor(config.maxLength, config.forcedEosTokenId));
  }
  list.push(...(config.logitsProcessor ?? []));
  if (config.doSample) {
    // beam sampling keeps at least one non-eos token per beam to explore (transformers: #eos + 1)
    const keep = config.numBeams > 1 ? eos.length + 1 : 1;
    if (config.temperature !== 1) list.push(new TemperatureLogitsWarper(config.temperature));
    if (config.topK !== null && config.topK !== 0) list.push(new TopKLogitsWarper(config.topK, keep));
    if (config.topP !== null && config.topP < 1) list.push(new TopPLogitsWarper(config.topP, keep));
    if (config.typicalP !== null && config.typicalP < 1) list.push(new TypicalLogitsWarper(config.typicalP, keep));
  }
  return list;
}
