// models/: BERT, GPT-2 and T5 with their heads, the Auto classes, and fromPretrained/savePretrained.
export { PretrainedConfig, field, type ConfigField, type ConfigDict, type ProblemType } from './configuration.js';
export { PreTrainedModel, asIds, type FromPretrainedOptions, type SavePretrainedOptions, type ModelClass } from './modeling-utils.js';
export type * from './outputs.js';
export * from './bert/index.js';
export * from './gpt2/index.js';
// the cache models return as pastKeyValues (defined with the attention block in nn/)
export { KeyValueCache, LayerKeyValues, type KeyValueCacheOptions } from '../nn/index.js';
export * from './t5/index.js';
export {
  AutoConfig, AutoModel, AutoModelForSequenceClassification, AutoModelForMaskedLM, AutoModelForTokenClassification,
  AutoModelForQuestionAnswering, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoModelForPreTraining, CONFIG_MAPPING, modelTypeOf,
} from './auto.js';
export { SHIPPED_MODELS, shippedModelsDir, shippedModelPath, resolveModelName, type ShippedModelName } from './shipped.js';
