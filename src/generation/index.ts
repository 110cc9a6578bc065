// Text generation: generate(), generateStream(), logits processors, stopping criteria.
import './model-methods.js';
export { generate } from './generate.js';
export { generateStream, type StreamItem, type GenerateStreamOptions } from './stream.js';
export { TextDeltaDecoder } from './text-delta.js';
export { StopTextFilter } from './stop-text.js';
export {
  GENERATION_DEFAULTS, resolveGenerationConfig, generationFieldsFromJson,
  type GenerationOptions, type GenerationConfig, type EarlyStopping, type TokenizerLike,
} from './configuration.js';
export type { GenerateOutput } from './output.js';
export type { GenerateInput } from './ids.js';
export type { TokenLogprob } from './logprobs.js';
export type { GenerativeModel } from './model-io.js';
export { LogitsProcessorList, type LogitsProcessor, type LogitsProcessorFn, type LogitsProcessorLike } from './logits/processor.js';
export { TemperatureLogitsWarper } from './logits/temperature.js';
export { TopKLogitsWarper } from './logits/top-k.js';
export { TopPLogitsWarper } from './logits/top-p.js';
export { TypicalLogitsWarper } from './logits/typical.js';
export { RepetitionPenaltyLogitsProcessor } from './logits/repetition-penalty.js';
export { NoRepeatNGramLogitsProcessor } from './logits/no-repeat-ngram.js';
export { NoBadWordsLogitsProcessor } from './logits/bad-words.js';
export { MinLengthLogitsProcessor, MinNewTokensLengthLogitsProcessor } from './logits/min-length.js';
export { ForcedBOSTokenLogitsProcessor, ForcedEOSTokenLogitsProcessor } from './logits/forced-tokens.js';
export { buildLogitsProcessors } from './logits/build.js';
export { MaxLengthCriteria, EosTokenCriteria, type StoppingCriterion, type FinishReason } from './stopping/criteria.js';
export { StopStringCriteria } from './stopping/stop-strings.js';
