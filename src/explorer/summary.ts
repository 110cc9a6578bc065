/**
 * What kind of model the explorer is looking at. Decided from the config's model_type and the
 * class name, so the explorer needs no import of every head class (and works for any class
 * following transformers' naming: BertFor..., GPT2LMHeadModel, T5ForConditionalGeneration).
 */
import { OptionError } from '../errors.js';
import type { PreTrainedModel } from '../models/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import type { ModelFamily, ModelSummary, ModelTask } from './types.js';

/** T5 has relative positions only; inputs longer than this are cut to keep the page responsive. */
const RELATIVE_POSITION_LIMIT = 512;

/** Config fields read by name (the classes expose them as camelCase properties). */
type ConfigView = Record<string, unknown>;

function num(config: ConfigView, ...names: string[]): number {
  for (const n of names) if (typeof config[n] === 'number') return config[n] as number;
  return 0;
}

export function modelFamily(model: PreTrainedModel): ModelFamily {
  const type = model.config.modelType;
  if (type === 'bert' || type === 'gpt2' || type === 't5') return type;
  throw new OptionError(`the explorer knows BERT, GPT-2 and T5 models; this one has model_type "${type}"`);
}

export function modelTask(model: PreTrainedModel): ModelTask {
  const name = model.constructor.name;
  if (name === 'BertForMaskedLM' || name === 'BertForPreTraining') return 'fill-mask';
  if (name.endsWith('ForSequenceClassification')) return 'classification';
  if (name.endsWith('LMHeadModel')) return 'causal-lm';
  if (name.endsWith('ForConditionalGeneration')) return 'seq2seq';
  return 'base';
}

export function describeModel(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, name: string): ModelSummary {
  const config = model.config as unknown as ConfigView;
  const family = modelFamily(model);
  const task = modelTask(model);
  const summary: ModelSummary = {
    name,
    architecture: model.constructor.name,
    family,
    task,
    layers: num(config, 'numHiddenLayers', 'numLayers', 'nLayer'),
    heads: num(config, 'numAttentionHeads', 'numHeads', 'nHead'),
    hiddenSize: num(config, 'hiddenSize', 'dModel', 'nEmbd'),
    vocabSize: num(config, 'vocabSize'),
    maxLength: family === 't5' ? RELATIVE_POSITION_LIMIT : num(config, 'maxPositionEmbeddings', 'nPositions'),
  };
  if (family === 't5') summary.decoderLayers = num(config, 'numDecoderLayers') || summary.layers;
  if (task === 'fill-mask' && tokenizer.maskToken !== null) summary.maskToken = tokenizer.maskToken;
  return summary;
}
