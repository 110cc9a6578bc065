/**
 * pipeline(task, model?, options?): the task names and aliases of transformers' pipeline(),
 * each with the model classes it can run and Kotoba's shipped model as the default.
 *
 *   const classifier = await pipeline('sentiment-analysis');
 *   await classifier('I love this!');            // [{ label: 'positive', score: 0.97 }]
 */
import { OptionError } from '../errors.js';
import {
  BertForMaskedLM, BertForQuestionAnswering, BertForSequenceClassification, BertForTokenClassification, BertModel,
  GPT2LMHeadModel, GPT2Model, T5EncoderModel, T5ForConditionalGeneration, type PreTrainedModel, type ShippedModelName,
} from '../models/index.js';
import { defaultModelLocation, LOAD_OPTION_KEYS, loadParts, type Pipeline, type PipelineLoadOptions, type PipelineParts, type TaskModels } from './base.js';
import { FeatureExtractionPipeline, type FeatureExtractionOptions } from './feature-extraction.js';
import { FillMaskPipeline, type FillMaskOptions } from './fill-mask.js';
import { QuestionAnsweringPipeline, type QuestionAnsweringOptions } from './question-answering.js';
import { SummarizationPipeline, Text2TextGenerationPipeline, TranslationPipeline, type Text2TextOptions, type TranslationOptions } from './text2text.js';
import { TextClassificationPipeline, type TextClassificationOptions } from './text-classification.js';
import { TextGenerationPipeline, type TextGenerationOptions } from './text-generation.js';
import { TokenClassificationPipeline, type TokenClassificationOptions } from './token-classification.js';

interface TaskDefinition extends TaskModels {
  defaultModel: ShippedModelName | null;
  create(parts: PipelineParts, defaults: object): Pipeline;
}

const TASKS = {
  'text-classification': {
    classes: { bert: BertForSequenceClassification },
    needs: 'a BERT model with a sequence-classification head (BertForSequenceClassification)',
    defaultModel: 'kotoba-bert-mini-sentiment',
    create: (parts, defaults) => new TextClassificationPipeline(parts, defaults),
  },
  'token-classification': {
    classes: { bert: BertForTokenClassification },
    needs: 'a BERT model with a token-classification head (BertForTokenClassification)',
    defaultModel: 'kotoba-bert-mini-pos',
    create: (parts, defaults) => new TokenClassificationPipeline(parts, defaults),
  },
  'fill-mask': {
    classes: { bert: BertForMaskedLM },
    needs: 'a masked language model (BertForMaskedLM)',
    defaultModel: 'kotoba-bert-mini',
    create: (parts, defaults) => new FillMaskPipeline(parts, defaults),
  },
  'feature-extraction': {
    classes: { bert: BertModel, gpt2: GPT2Model, t5: T5EncoderModel },
    needs: 'a BERT, GPT-2 or T5 model',
    unusedWeights: /^pooler\./,
    defaultModel: 'kotoba-bert-mini',
    create: (parts, defaults) => new FeatureExtractionPipeline(parts, defaults),
  },
  'text-generation': {
    classes: { gpt2: GPT2LMHeadModel },
    needs: 'a decoder-only language model (GPT2LMHeadModel)',
    defaultModel: 'kotoba-gpt-mini',
    create: (parts, defaults) => new TextGenerationPipeline(parts, defaults),
  },
  'text2text-generation': {
    classes: { t5: T5ForConditionalGeneration },
    needs: 'an encoder-decoder model (T5ForConditionalGeneration)',
    defaultModel: 'kotoba-t5-mini',
    create: (parts, defaults) => new Text2TextGenerationPipeline(parts, defaults),
  },
  summarization: {
    classes: { t5: T5ForConditionalGeneration },
    needs: 'an encoder-decoder model (T5ForConditionalGeneration)',
    defaultModel: 'kotoba-t5-mini',
    create: (parts, defaults) => new SummarizationPipeline(parts, defaults),
  },
  translation: {
    classes: { t5: T5ForConditionalGeneration },
    needs: 'an encoder-decoder model (T5ForConditionalGeneration)',
    defaultModel: 'kotoba-t5-mini',
    create: (parts, defaults) => new TranslationPipeline(parts, defaults),
  },
  'question-answering': {
    classes: { bert: BertForQuestionAnswering },
    needs: 'a BERT model with a span head (BertForQuestionAnswering, fine-tuned for extractive QA such as SQuAD)',
    defaultModel: null,
    create: (parts, defaults) => new QuestionAnsweringPipeline(parts, defaults),
  },
} satisfies Record<string, TaskDefinition>;

export type CanonicalTask = keyof typeof TASKS;

/** transformers' aliases. */
export const TASK_ALIASES = { 'sentiment-analysis': 'text-classification', ner: 'token-classification' } as const;

export type TranslationTask = `translation_${string}_to_${string}`;
export type PipelineTask = CanonicalTask | keyof typeof TASK_ALIASES | TranslationTask;

/** Every task name pipeline() accepts (translation_xx_to_yy stands for any language pair). */
export const SUPPORTED_TASKS: readonly string[] = [...Object.keys(TASKS), ...Object.keys(TASK_ALIASES), 'translation_xx_to_yy'];

/** The definition behind a task name: its canonical name, resolving aliases and translation_xx_to_yy. */
export function resolveTask(task: string): { canonical: CanonicalTask; definition: TaskDefinition } {
  if (typeof task !== 'string') throw new OptionError(`pipeline: the task must be a string (one of ${SUPPORTED_TASKS.join(', ')})`);
  const aliased = (TASK_ALIASES as Record<string, string>)[task] ?? task;
  const canonical = (/^translation_[A-Za-z-]+_to_[A-Za-z-]+$/.test(aliased) ? 'translation' : aliased) as CanonicalTask;
  const definition = (TASKS as Record<string, TaskDefinition>)[canonical];
  if (!definition) {
    throw new OptionError(`pipeline: unknown task ${JSON.stringify(task)}; the tasks are ${SUPPORTED_TASKS.join(', ')} (e.g. translation_en_to_de)`);
  }
  return { canonical, definition };
}

/** The tasks a model type can do (for error messages). */
function tasksFor(modelType: string): string[] {
  return Object.entries(TASKS as Record<string, TaskDefinition>).filter(([, d]) => modelType in d.classes).map(([name]) => name);
}

export type PipelineOptions<O> = O & PipelineLoadOptions;

export function pipeline(task: 'text-classification' | 'sentiment-analysis', model?: string | PreTrainedModel, options?: PipelineOptions<TextClassificationOptions>): Promise<TextClassificationPipeline>;
export function pipeline(task: 'token-classification' | 'ner', model?: string | PreTrainedModel, options?: PipelineOptions<TokenClassificationOptions>): Promise<TokenClassificationPipeline>;
export function pipeline(task: 'fill-mask', model?: string | PreTrainedModel, options?: PipelineOptions<FillMaskOptions>): Promise<FillMaskPipeline>;
export function pipeline(task: 'feature-extraction', model?: string | PreTrainedModel, options?: PipelineOptions<FeatureExtractionOptions>): Promise<FeatureExtractionPipeline>;
export function pipeline(task: 'text-generation', model?: string | PreTrainedModel, options?: PipelineOptions<TextGenerationOptions>): Promise<TextGenerationPipeline>;
export function pipeline(task: 'text2text-generation', model?: string | PreTrainedModel, options?: PipelineOptions<Text2TextOptions>): Promise<Text2TextGenerationPipeline>;
export function pipeline(task: 'summarization', model?: string | PreTrainedModel, options?: PipelineOptions<Text2TextOptions>): Promise<SummarizationPipeline>;
export function pipeline(task: 'translation' | TranslationTask, model?: string | PreTrainedModel, options?: PipelineOptions<TranslationOptions>): Promise<TranslationPipeline>;
export function pipeline(task: 'question-answering', model?: string | PreTrainedModel, options?: PipelineOptions<QuestionAnsweringOptions>): Promise<QuestionAnsweringPipeline>;
export function pipeline(task: string, model?: string | PreTrainedModel, options?: PipelineOptions<object>): Promise<Pipeline>;
/**
 * A ready-to-call pipeline for a task. `model` is a shipped model name ("kotoba-bert-mini"), a
 * model folder, a Hub id, or a loaded model (then pass `tokenizer` unless it came from a folder);
 * without it the task's shipped default is used. `options` holds loading options (tokenizer,
 * onWarning, Hub options) and defaults for every call (topK, maxNewTokens, ...).
 */
export async function pipeline(task: string, model?: string | PreTrainedModel, options: PipelineOptions<object> = {}): Promise<Pipeline> {
  const { canonical, definition } = resolveTask(task);
  const name = (TASK_ALIASES as Record<string, string>)[task] ?? task; // the pipeline reports the canonical name
  let location: string | PreTrainedModel;
  if (model === undefined || model === null) {
    if (definition.defaultModel === null) {
      throw new OptionError(
        `${canonical}: there is no default model (no shipped Kotoba model has a question-answering head); pass a folder or Hub id of a BERT fine-tuned for extractive QA, e.g. pipeline('question-answering', 'path/to/bert-squad')`,
      );
    }
    location = defaultModelLocation(canonical, definition.defaultModel);
  } else {
    location = model;
  }
  const load: PipelineLoadOptions = {};
  const defaults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if ((LOAD_OPTION_KEYS as readonly string[]).includes(key)) (load as Record<string, unknown>)[key] = value;
    else defaults[key] = value;
  }
  const parts = await loadParts(name, definition, location, load, (modelType) => tasksFor(modelType));
  const created = definition.create({ ...parts, modelName: typeof model === 'string' ? model : model ? parts.modelName : (definition.defaultModel ?? parts.modelName) }, defaults);
  if (created instanceof TranslationPipeline) created.languages(defaults); // a missing language pair fails here, not at the first call
  return created;
}
