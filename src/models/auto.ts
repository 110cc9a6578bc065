/**
 * The Auto classes: read config.json, pick the class for its model_type (or, without one, for
 * the class named in "architectures"), and load. AutoModel.fromPretrained('bert-base-uncased')
 * gives a BertModel; AutoModelForCausalLM on a GPT-2 folder a GPT2LMHeadModel.
 */
import { FileFormatError, OptionError } from '../errors.js';
import { loadPretrained, type LoadPretrainedOptions } from '../hub/index.js';
import {
  BertConfig, BertForMaskedLM, BertForPreTraining, BertForQuestionAnswering, BertForSequenceClassification,
  BertForTokenClassification, BertModel,
} from './bert/index.js';
import type { ConfigDict, PretrainedConfig } from './configuration.js';
import { GPT2Config, GPT2LMHeadModel, GPT2Model } from './gpt2/index.js';
import { buildFromFiles, type FromPretrainedOptions, type ModelClass, type PreTrainedModel } from './modeling-utils.js';
import { T5Config, T5EncoderModel, T5ForConditionalGeneration, T5Model } from './t5/index.js';

type AnyModelClass = ModelClass<PreTrainedModel>;

export const CONFIG_MAPPING: Readonly<Record<string, new (dict?: ConfigDict) => PretrainedConfig>> = {
  bert: BertConfig,
  gpt2: GPT2Config,
  t5: T5Config,
};

/** Every model class by name (to recognise "architectures"). */
const ALL_CLASSES: readonly AnyModelClass[] = [
  BertModel, BertForSequenceClassification, BertForMaskedLM, BertForTokenClassification, BertForQuestionAnswering, BertForPreTraining,
  GPT2Model, GPT2LMHeadModel, T5Model, T5EncoderModel, T5ForConditionalGeneration,
];

/** The model_type of a config.json object: its own field, else inferred from "architectures". */
export function modelTypeOf(config: ConfigDict, source = 'config.json'): string {
  const declared = config['model_type'];
  if (typeof declared === 'string') {
    if (!(declared in CONFIG_MAPPING)) {
      throw new FileFormatError(`${source}: model_type "${declared}" is not supported by Kotoba (supported: ${Object.keys(CONFIG_MAPPING).join(', ')})`);
    }
    return declared;
  }
  const architectures = Array.isArray(config['architectures']) ? (config['architectures'] as string[]) : [];
  for (const name of architectures) {
    const cls = ALL_CLASSES.find((c) => c.name === name);
    if (cls) return new cls.configClass().modelType;
  }
  throw new FileFormatError(`${source}: no "model_type" field and no known class in "architectures" (${JSON.stringify(architectures)}); cannot tell which model this is`);
}

/** AutoConfig.fromPretrained(folderOrHubId): the config class for the folder's model_type. */
export class AutoConfig {
  static async fromPretrained(idOrFolder: string, options: Omit<LoadPretrainedOptions, 'weights'> = {}): Promise<PretrainedConfig> {
    const files = await loadPretrained(idOrFolder, { ...options, weights: false });
    return AutoConfig.fromDict(files.config, `${files.folder}/config.json`);
  }

  /** A config from a config.json object. */
  static fromDict(dict: ConfigDict, source = 'config.json'): PretrainedConfig {
    const config = new CONFIG_MAPPING[modelTypeOf(dict, source)](dict);
    config.validate(source);
    return config;
  }

  /** A fresh config of the given type: AutoConfig.forModel('bert', { hidden_size: 128 }). */
  static forModel(modelType: string, dict: ConfigDict = {}): PretrainedConfig {
    return AutoConfig.fromDict({ ...dict, model_type: modelType });
  }
}

/** Builds an Auto class from its model_type -> class table. */
function autoClass<M extends Readonly<Record<string, AnyModelClass>>>(name: string, mapping: M) {
  type Model = InstanceType<M[keyof M]>;
  const pick = (modelType: string, source: string): AnyModelClass => {
    const cls = mapping[modelType];
    if (!cls) {
      throw new OptionError(`${name}: ${source} is a "${modelType}" model, which has no ${name.replace(/^AutoModel/, '') || 'base'} class in Kotoba (supported model types: ${Object.keys(mapping).join(', ')})`);
    }
    return cls;
  };
  return class {
    static readonly mapping = mapping;

    /**
     * Loads the class for the folder's model type. The result's type is the union of the
     * mapping's classes; name the one you expect to narrow it: fromPretrained<BertModel>(...).
     */
    static async fromPretrained<T extends PreTrainedModel = Model>(idOrFolder: string, options: FromPretrainedOptions = {}): Promise<T> {
      const files = await loadPretrained(idOrFolder, options);
      const source = `${files.folder}/config.json`;
      return buildFromFiles(pick(modelTypeOf(files.config, source), source), files, options) as unknown as T;
    }

    /** A model with fresh weights for a config (AutoModel.fromConfig(config) in transformers). */
    static fromConfig<T extends PreTrainedModel = Model>(config: PretrainedConfig): T {
      return new (pick(config.modelType, 'the config'))(config) as unknown as T;
    }

    static get modelName(): string {
      return name;
    }
  };
}

export const AutoModel = autoClass('AutoModel', { bert: BertModel, gpt2: GPT2Model, t5: T5Model });
export const AutoModelForSequenceClassification = autoClass('AutoModelForSequenceClassification', { bert: BertForSequenceClassification });
export const AutoModelForMaskedLM = autoClass('AutoModelForMaskedLM', { bert: BertForMaskedLM });
export const AutoModelForTokenClassification = autoClass('AutoModelForTokenClassification', { bert: BertForTokenClassification });
export const AutoModelForQuestionAnswering = autoClass('AutoModelForQuestionAnswering', { bert: BertForQuestionAnswering });
export const AutoModelForCausalLM = autoClass('AutoModelForCausalLM', { gpt2: GPT2LMHeadModel });
export const AutoModelForSeq2SeqLM = autoClass('AutoModelForSeq2SeqLM', { t5: T5ForConditionalGeneration });
export const AutoModelForPreTraining = autoClass('AutoModelForPreTraining', { bert: BertForPreTraining, gpt2: GPT2LMHeadModel, t5: T5ForConditionalGeneration });
