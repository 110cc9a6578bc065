/**
 * The Trainer's options as command-line flags, shared by `kotoba pretrain` and `kotoba finetune`.
 * Every flag shows its default in --help; values are checked again by resolveArguments.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { OptionError } from '../errors.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import { listCheckpoints, ProgressReporter, TRAINING_DEFAULTS as D, type TrainingArguments } from '../training/index.js';

export const number = (name: string) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${value}".`);
  return n;
};

export const integer = (name: string) => (value: string): number => {
  const n = number(name)(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer, got "${value}".`);
  return n;
};

/** Defaults that differ between pretraining and fine-tuning. */
export interface CommandDefaults {
  learningRate: number;
  metric: string;
  /** How --help shows the metric's default, when it depends on other flags. */
  metricDescription?: string;
}

/** Adds the Trainer's flags to a command. */
export function addTrainerFlags(cmd: Command, defaults: CommandDefaults): Command {
  return cmd
    .option('--epochs <n>', 'passes over the training data (ignored when --max-steps > 0)', number('--epochs'), D.numTrainEpochs)
    .option('--max-steps <n>', 'total optimizer steps; 0 = use --epochs', integer('--max-steps'), D.maxSteps)
    .option('--batch-size <n>', 'examples per forward/backward pass', integer('--batch-size'), D.batchSize)
    .option('--eval-batch-size <n>', 'examples per evaluation batch (default: --batch-size)', integer('--eval-batch-size'))
    .option('--grad-accum <n>', 'micro-batches per optimizer step (gradient accumulation)', integer('--grad-accum'), D.gradientAccumulationSteps)
    .option('--lr <x>', 'peak learning rate', number('--lr'), defaults.learningRate)
    .option('--weight-decay <x>', 'AdamW weight decay (never on biases and norm weights)', number('--weight-decay'), D.weightDecay)
    .option('--adam-beta1 <x>', 'AdamW beta1', number('--adam-beta1'), D.adamBeta1)
    .option('--adam-beta2 <x>', 'AdamW beta2', number('--adam-beta2'), D.adamBeta2)
    .option('--adam-epsilon <x>', 'AdamW epsilon', number('--adam-epsilon'), D.adamEpsilon)
    .addOption(new Option('--scheduler <type>', 'learning-rate schedule after warmup').choices(['linear', 'cosine', 'constant', 'constant_with_warmup']).default(D.lrSchedulerType))
    .option('--warmup-steps <n>', 'linear warmup steps (0 = use --warmup-ratio)', integer('--warmup-steps'), D.warmupSteps)
    .option('--warmup-ratio <x>', 'warmup as a fraction of the total steps', number('--warmup-ratio'), D.warmupRatio)
    .option('--max-grad-norm <x>', 'clip gradients to this global norm (0 = off)', number('--max-grad-norm'), D.maxGradNorm)
    .option('--logging-steps <n>', 'log the training loss every N steps', integer('--logging-steps'), D.loggingSteps)
    .option('--eval-steps <n>', 'evaluate every N steps (0 = only at the end)', integer('--eval-steps'), D.evalSteps)
    .option('--save-steps <n>', 'save a checkpoint every N steps (0 = only at the end)', integer('--save-steps'), D.saveSteps)
    .option('--save-total-limit <n>', 'keep only the newest N checkpoints (default: keep all)', integer('--save-total-limit'))
    .option('--seed <n>', 'random seed (initialization, shuffling, masking, dropout)', integer('--seed'), D.seed)
    .addOption(new Option('--metric <name>', 'evaluation metric for the best model and early stopping (loss, accuracy, macroF1, f1, exactMatch, perplexity)').default(defaults.metric, defaults.metricDescription))
    .option('--greater-is-better', 'a larger --metric is better (default: true except for loss and perplexity)')
    .option('--no-greater-is-better', 'a smaller --metric is better')
    .option('--early-stopping-patience <n>', 'stop after N evaluations without improvement (0 = never)', integer('--early-stopping-patience'), D.earlyStoppingPatience)
    .option('--early-stopping-threshold <x>', 'minimum improvement that counts', number('--early-stopping-threshold'), D.earlyStoppingThreshold)
    .option('--load-best-model-at-end', 'save the best model (by --metric), not the last, as the final model', D.loadBestModelAtEnd)
    .option('--no-shuffle', 'keep the training data in file order')
    .addOption(new Option('--progress <mode>', 'progress display: a bar on a terminal, plain lines otherwise').choices(['auto', 'bar', 'lines', 'none']).default(D.progress))
    .option('--resume [checkpoint]', 'continue from a checkpoint folder, or (no value) the latest checkpoint in --out')
    .option('--skip-bad-rows', 'skip malformed JSONL lines / CSV rows (counted in the summary) instead of stopping', false);
}

/** The parsed flags, as commander gives them. */
export interface TrainerFlags {
  epochs: number; maxSteps: number; batchSize: number; evalBatchSize?: number; gradAccum: number; lr: number;
  weightDecay: number; adamBeta1: number; adamBeta2: number; adamEpsilon: number; scheduler: TrainingArguments['lrSchedulerType'];
  warmupSteps: number; warmupRatio: number; maxGradNorm: number; loggingSteps: number; evalSteps: number; saveSteps: number;
  saveTotalLimit?: number; seed: number; metric: string; greaterIsBetter?: boolean; earlyStoppingPatience: number;
  earlyStoppingThreshold: number; loadBestModelAtEnd: boolean; shuffle: boolean; progress: TrainingArguments['progress'];
  resume?: string | boolean; skipBadRows: boolean; out: string;
}

export function trainingArguments(f: TrainerFlags): TrainingArguments {
  return {
    outputDir: f.out, numTrainEpochs: f.epochs, maxSteps: f.maxSteps, batchSize: f.batchSize, evalBatchSize: f.evalBatchSize,
    gradientAccumulationSteps: f.gradAccum, learningRate: f.lr, weightDecay: f.weightDecay,
    adamBeta1: f.adamBeta1, adamBeta2: f.adamBeta2, adamEpsilon: f.adamEpsilon, lrSchedulerType: f.scheduler,
    warmupSteps: f.warmupSteps, warmupRatio: f.warmupRatio, maxGradNorm: f.maxGradNorm, loggingSteps: f.loggingSteps,
    evalSteps: f.evalSteps, saveSteps: f.saveSteps, saveTotalLimit: f.saveTotalLimit, seed: f.seed,
    metricForBestModel: f.metric,
    greaterIsBetter: f.greaterIsBetter,
    earlyStoppingPatience: f.earlyStoppingPatience, earlyStoppingThreshold: f.earlyStoppingThreshold,
    loadBestModelAtEnd: f.loadBestModelAtEnd, shuffle: f.shuffle, progress: f.progress,
  };
}

/** Refuses to train into a folder holding another run's checkpoints unless resuming (nothing is overwritten). */
export function checkOutputFolder(out: string, resume: unknown): void {
  if (!resume && listCheckpoints(out).length > 0) {
    throw new OptionError(`${out} already holds checkpoints of a run; pass --resume to continue it, or choose another --out folder.`);
  }
}

/** The tokenizer's files (tokenizer.json, tokenizer_config.json, special_tokens_map.json) as bytes. */
export function tokenizerFiles(tokenizer: PreTrainedTokenizer): Record<string, Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-tok-'));
  try {
    tokenizer.savePretrained(dir);
    return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Summary lines go where the progress goes (stderr), so stdout stays clean for piping. */
export function reporter(f: TrainerFlags): ProgressReporter {
  return new ProgressReporter(f.progress);
}
