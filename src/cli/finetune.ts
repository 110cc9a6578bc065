/**
 * `kotoba finetune`: adapts a pretrained model folder to a task with the Trainer:
 *
 *   kotoba finetune --model runs/bert --task text-classification --train train.jsonl --validation validation.jsonl --out runs/sentiment
 *
 * Tasks: text-classification (a text or text pair -> a label; label names are mapped to ids and
 * the map saved in config.json), token-classification (words -> one tag each), question-answering
 * (extractive, SQuAD format), text2text (source -> target, T5).
 */
import { Option, type Command } from 'commander';
import { OptionError } from '../errors.js';
import {
  AutoConfig, AutoModelForQuestionAnswering, AutoModelForSeq2SeqLM, AutoModelForSequenceClassification, AutoModelForTokenClassification,
  type PreTrainedModel,
} from '../models/index.js';
import { readConfig } from '../hub/index.js';
import { manualSeed } from '../tensor/index.js';
import { AutoTokenizer, type PreTrainedTokenizer } from '../tokenizers/index.js';
import {
  LabelMap, UnknownLabelsIgnored, PaddingCollator, Trainer, classificationExamples, classificationMetrics, labelValues, languageModelingMetrics, newReadStats,
  questionAnsweringExamples, questionAnsweringMetrics, readAll, text2textExamples, tokenClassificationExamples, tokenClassificationMetrics,
  trainValidationSplit, type DataRecord, type Example, type TaskMetrics,
} from '../training/index.js';
import { addTrainerFlags, checkOutputFolder, integer, number, reporter, tokenizerFiles, trainingArguments, type TrainerFlags } from './train-flags.js';

export const TASKS = ['text-classification', 'token-classification', 'question-answering', 'text2text'] as const;
type Task = (typeof TASKS)[number];

/** The metric that picks the best model when --metric is not given. */
const DEFAULT_METRIC: Record<Task, string> = {
  'text-classification': 'accuracy', 'token-classification': 'f1', 'question-answering': 'f1', text2text: 'loss',
};

interface FinetuneFlags extends TrainerFlags {
  model: string; task: Task; train: string[]; validation?: string[]; validationSplit: number; maxLength: number;
  maxTargetLength?: number; textColumn?: string; textPairColumn?: string; labelColumn?: string; sourcePrefix: string;
  ignoreMismatchedSizes: boolean; unknownLabels: 'error' | 'ignore';
}

export function registerFinetuneCommand(program: Command): void {
  const cmd = program
    .command('finetune')
    .description('fine-tune a pretrained model folder on labeled data (classification, token classification, extractive QA, text-to-text)')
    .requiredOption('--model <folder>', 'the pretrained model folder (config.json, model.safetensors, tokenizer files)')
    .requiredOption('--task <task>', `task: ${TASKS.join(', ')}`)
    .requiredOption('--train <files...>', 'training data: .jsonl or .csv (optionally .gz)')
    .requiredOption('--out <folder>', 'output folder: checkpoints, metrics.jsonl, training.svg, the final model')
    .option('--validation <files...>', 'validation data (default: a split of --train)')
    .option('--validation-split <x>', 'fraction of --train held out when there is no --validation', number('--validation-split'), 0.1)
    .option('--max-length <n>', 'longest input in tokens (longer inputs are truncated)', integer('--max-length'), 128)
    .option('--max-target-length <n>', 'text2text: longest target in tokens (default: --max-length)', integer('--max-target-length'))
    .option('--text-column <name>', 'input column (default: text; tokens for token-classification; source for text2text)')
    .option('--text-pair-column <name>', 'text-classification: second text of a pair (e.g. text_pair)')
    .option('--label-column <name>', 'label column (default: label; tags for token-classification; target for text2text)')
    .option('--source-prefix <text>', 'text2text: prefix for every source (e.g. "translate English to German: ")', '')
    .option('--ignore-mismatched-sizes', 'replace a head of another size (e.g. a different number of labels) with a fresh one', false)
    .addOption(new Option('--unknown-labels <mode>', 'validation labels the training set lacks: "error" stops, "ignore" leaves them out of the loss and metrics').choices(['error', 'ignore']).default('error'));
  addTrainerFlags(cmd, {
    learningRate: 5e-5, metric: 'default',
    metricDescription: 'accuracy for text-classification, f1 for token-classification and question-answering, loss for text2text',
  }).action(async (flags: FinetuneFlags) => {
    const result = await runFinetune(flags);
    if (result.interrupted) process.exitCode = 130;
  });
}


/** The label map: the model's own when it has named labels, else the training set's. */
function labelMapFor(f: FinetuneFlags, train: readonly DataRecord[], perToken: boolean): LabelMap {
  const fromModel = LabelMap.fromConfig(readConfig(f.model));
  return fromModel ?? LabelMap.fromLabels(labelValues(train, f.labelColumn ?? (perToken ? 'tags' : 'label'), perToken));
}

interface Prepared {
  train: Example[];
  validation: Example[];
  labels: LabelMap | null;
  metrics: () => TaskMetrics;
}

/** Validation records whose label the training set has (the others cannot be predicted). */
function knownLabelsOnly(records: DataRecord[], labels: LabelMap, labelColumn: string): DataRecord[] {
  const kept = records.filter((r) => labels.label2id.has(String(r.fields[labelColumn])));
  if (kept.length < records.length) console.error(`finetune: ${records.length - kept.length} validation examples have labels the training set lacks; they are left out (--unknown-labels ignore).`);
  return kept;
}

function prepare(f: FinetuneFlags, tokenizer: PreTrainedTokenizer, trainRecords: DataRecord[], validationRecords: DataRecord[]): Prepared {
  const options = {
    maxLength: f.maxLength, maxTargetLength: f.maxTargetLength, textColumn: f.textColumn, textPairColumn: f.textPairColumn,
    labelColumn: f.labelColumn, sourcePrefix: f.sourcePrefix,
  };
  switch (f.task) {
    case 'text-classification': {
      const labels = labelMapFor(f, trainRecords, false);
      return {
        train: classificationExamples(trainRecords, tokenizer, labels, options),
        validation: classificationExamples(f.unknownLabels === 'ignore' ? knownLabelsOnly(validationRecords, labels, f.labelColumn ?? 'label') : validationRecords, tokenizer, labels, options),
        labels, metrics: classificationMetrics,
      };
    }
    case 'token-classification': {
      const labels = labelMapFor(f, trainRecords, true);
      const validationLabels = f.unknownLabels === 'ignore' ? new UnknownLabelsIgnored(labels) : labels;
      const validation = tokenClassificationExamples(validationRecords, tokenizer, validationLabels, options);
      if (validationLabels instanceof UnknownLabelsIgnored && validationLabels.ignored > 0) {
        console.error(`finetune: ${validationLabels.ignored} validation words have tags the training set lacks; they are left out of the loss and metrics (--unknown-labels ignore).`);
      }
      return {
        train: tokenClassificationExamples(trainRecords, tokenizer, labels, options),
        validation,
        labels, metrics: () => tokenClassificationMetrics(labels.id2label),
      };
    }
    case 'question-answering':
      return {
        train: questionAnsweringExamples(trainRecords, tokenizer, options),
        validation: questionAnsweringExamples(validationRecords, tokenizer, options),
        labels: null, metrics: () => questionAnsweringMetrics(),
      };
    case 'text2text':
      return {
        train: text2textExamples(trainRecords, tokenizer, options),
        validation: text2textExamples(validationRecords, tokenizer, options),
        labels: null, metrics: languageModelingMetrics,
      };
  }
}

async function loadModel(f: FinetuneFlags, labels: LabelMap | null): Promise<PreTrainedModel> {
  const common = { ignoreMismatchedSizes: f.ignoreMismatchedSizes };
  const withLabels = labels ? { ...common, numLabels: labels.size, config: labels.toConfig() } : common;
  switch (f.task) {
    case 'text-classification': return AutoModelForSequenceClassification.fromPretrained(f.model, withLabels);
    case 'token-classification': return AutoModelForTokenClassification.fromPretrained(f.model, withLabels);
    case 'question-answering': return AutoModelForQuestionAnswering.fromPretrained(f.model, common);
    case 'text2text': return AutoModelForSeq2SeqLM.fromPretrained(f.model, common);
  }
}

/** The longest input the model can take (undefined for relative positions, T5). */
function contextOf(config: Record<string, unknown>): number | undefined {
  const n = config['max_position_embeddings'] ?? config['n_positions'];
  return typeof n === 'number' ? n : undefined;
}

export async function runFinetune(f: FinetuneFlags): Promise<{ interrupted: boolean }> {
  if (!TASKS.includes(f.task)) throw new OptionError(`--task must be one of ${TASKS.join(', ')}, got "${f.task}"`);
  checkOutputFolder(f.out, f.resume);
  const log = reporter(f);
  const config = readConfig(f.model);
  AutoConfig.fromDict(config, `${f.model}/config.json`);
  const context = contextOf(config);
  if (context !== undefined && f.maxLength > context) {
    throw new OptionError(`--max-length ${f.maxLength} is longer than the model's context of ${context} positions; use --max-length ${context} or less.`);
  }
  const tokenizer = AutoTokenizer.fromFolder(f.model);
  const stats = newReadStats();
  const read = { skipBadRows: f.skipBadRows, stats };
  let trainRecords = await readAll(f.train, read);
  let validationRecords: DataRecord[];
  if (f.validation) validationRecords = await readAll(f.validation, read);
  else {
    const split = trainValidationSplit(trainRecords.length, f.validationSplit, f.seed);
    validationRecords = split.validation.map((i) => trainRecords[i]);
    trainRecords = split.train.map((i) => trainRecords[i]);
  }
  // every example is tokenized (and every label checked) before the model is touched
  const data = prepare(f, tokenizer, trainRecords, validationRecords);
  log.line(`finetune ${f.task}: ${data.train.length} training / ${data.validation.length} validation examples`
    + (data.labels ? `, ${data.labels.size} labels (${data.labels.id2label.slice(0, 10).join(', ')}${data.labels.size > 10 ? ', ...' : ''})` : '')
    + (stats.skipped ? `; skipped ${stats.skipped} bad rows (${stats.skippedExamples.join('; ')})` : ''));

  manualSeed(f.seed); // a fresh head's initial weights depend on the seed only
  const model = await loadModel(f, data.labels);
  const pad = tokenizer.padTokenId ?? tokenizer.eosTokenId ?? 0;
  const trainer = new Trainer({
    model, trainDataset: data.train, evalDataset: data.validation, collator: new PaddingCollator({ padTokenId: pad }),
    metrics: data.metrics, modelFiles: tokenizerFiles(tokenizer),
    args: { ...trainingArguments(f), metricForBestModel: f.metric === 'default' ? DEFAULT_METRIC[f.task] : f.metric },
  });
  const result = await trainer.train({ resumeFromCheckpoint: f.resume });
  const metrics = result.evalMetrics ? Object.entries(result.evalMetrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') : '';
  log.line(result.interrupted
    ? `stopped at step ${result.globalStep}; checkpoint ${result.lastCheckpoint}; continue with --resume`
    : `done: ${result.globalStep} steps, train loss ${result.trainLoss.toFixed(4)}${metrics ? `; ${metrics}` : ''}; model saved in ${f.out}`);
  return { interrupted: result.interrupted };
}
