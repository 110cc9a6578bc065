/**
 * The Trainer's options, named and defaulted as transformers' TrainingArguments (camelCased);
 * the CLI exposes each one as a flag.
 */
import { OptionError } from '../errors.js';
import type { ProgressMode } from './progress.js';

export type SchedulerType = 'linear' | 'cosine' | 'constant' | 'constant_with_warmup';

export interface TrainingArguments {
  /** Where checkpoints, metrics.jsonl, training.svg and the final model go. */
  outputDir: string;
  /** Passes over the training data (default 3); ignored when maxSteps > 0. */
  numTrainEpochs?: number;
  /** Total optimizer steps; overrides numTrainEpochs when > 0. */
  maxSteps?: number;
  /** Examples per forward/backward (default 8). */
  batchSize?: number;
  /** Examples per evaluation batch (default batchSize). */
  evalBatchSize?: number;
  /** Micro-batches whose gradients add up to one optimizer step (default 1). */
  gradientAccumulationSteps?: number;
  learningRate?: number;
  /** AdamW weight decay (default 0), never applied to biases and norm weights. */
  weightDecay?: number;
  adamBeta1?: number;
  adamBeta2?: number;
  adamEpsilon?: number;
  lrSchedulerType?: SchedulerType;
  /** Warmup steps; when 0, warmupRatio * total steps. */
  warmupSteps?: number;
  warmupRatio?: number;
  /** Gradient clipping by global norm (default 1; 0 = off). */
  maxGradNorm?: number;
  /** Log the training loss every N steps (default 50). */
  loggingSteps?: number;
  /** Evaluate every N steps (0 = only at the end; default 0). */
  evalSteps?: number;
  /** Save a checkpoint every N steps (0 = only at the end; default 500). */
  saveSteps?: number;
  /** Keep at most N checkpoints (oldest deleted; default: all). */
  saveTotalLimit?: number;
  seed?: number;
  /** Metric that decides the best model and early stopping (default 'loss'). */
  metricForBestModel?: string;
  /** Whether a larger metric is better (default: false for loss/perplexity, true otherwise). */
  greaterIsBetter?: boolean;
  /** Stop after this many evaluations without improvement (0 = never). */
  earlyStoppingPatience?: number;
  /** An improvement must exceed this much (default 0). */
  earlyStoppingThreshold?: number;
  /** Keep the best model so far in <outputDir>/best-model (default true when there is evaluation data). */
  keepBestModel?: boolean;
  /** Save the best model, not the last, as the final model (default false). */
  loadBestModelAtEnd?: boolean;
  /** Shuffle the training data every epoch (default true). */
  shuffle?: boolean;
  progress?: ProgressMode;
}

export type ResolvedArguments = Required<Omit<TrainingArguments, 'greaterIsBetter' | 'saveTotalLimit' | 'keepBestModel'>> & {
  greaterIsBetter: boolean;
  saveTotalLimit: number | null;
  keepBestModel: boolean | null;
};

export const TRAINING_DEFAULTS = {
  numTrainEpochs: 3,
  maxSteps: 0,
  batchSize: 8,
  gradientAccumulationSteps: 1,
  learningRate: 5e-5,
  weightDecay: 0,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  lrSchedulerType: 'linear' as SchedulerType,
  warmupSteps: 0,
  warmupRatio: 0,
  maxGradNorm: 1,
  loggingSteps: 50,
  evalSteps: 0,
  saveSteps: 500,
  seed: 42,
  metricForBestModel: 'loss',
  earlyStoppingPatience: 0,
  earlyStoppingThreshold: 0,
  loadBestModelAtEnd: false,
  shuffle: true,
  progress: 'auto' as ProgressMode,
};

function positiveInt(name: string, v: number, allowZero = false): void {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) throw new OptionError(`${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer, got ${v}`);
}

/** Fills in the defaults and checks every value (OptionError naming the option). */
export function resolveArguments(args: TrainingArguments): ResolvedArguments {
  const a = { ...TRAINING_DEFAULTS, ...Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) } as TrainingArguments & typeof TRAINING_DEFAULTS;
  if (!a.outputDir) throw new OptionError('outputDir is required');
  positiveInt('batchSize', a.batchSize);
  positiveInt('gradientAccumulationSteps', a.gradientAccumulationSteps);
  positiveInt('maxSteps', a.maxSteps, true);
  positiveInt('loggingSteps', a.loggingSteps);
  positiveInt('evalSteps', a.evalSteps, true);
  positiveInt('saveSteps', a.saveSteps, true);
  positiveInt('warmupSteps', a.warmupSteps, true);
  positiveInt('earlyStoppingPatience', a.earlyStoppingPatience, true);
  if (a.saveTotalLimit !== undefined) positiveInt('saveTotalLimit', a.saveTotalLimit);
  if (a.evalBatchSize !== undefined) positiveInt('evalBatchSize', a.evalBatchSize);
  if (!(a.numTrainEpochs > 0)) throw new OptionError(`numTrainEpochs must be > 0, got ${a.numTrainEpochs}`);
  if (!(a.learningRate >= 0)) throw new OptionError(`learningRate must be >= 0, got ${a.learningRate}`);
  if (!(a.warmupRatio >= 0 && a.warmupRatio < 1)) throw new OptionError(`warmupRatio must be in [0, 1), got ${a.warmupRatio}`);
  if (!(a.maxGradNorm >= 0)) throw new OptionError(`maxGradNorm must be >= 0, got ${a.maxGradNorm}`);
  if (!['linear', 'cosine', 'constant', 'constant_with_warmup'].includes(a.lrSchedulerType)) {
    throw new OptionError(`lrSchedulerType must be linear, cosine, constant or constant_with_warmup, got ${JSON.stringify(a.lrSchedulerType)}`);
  }
  if (!['auto', 'bar', 'lines', 'none'].includes(a.progress)) throw new OptionError(`progress must be auto, bar, lines or none, got ${JSON.stringify(a.progress)}`);
  const metric = a.metricForBestModel.replace(/^eval_/, '');
  return {
    ...a,
    metricForBestModel: metric,
    evalBatchSize: a.evalBatchSize ?? a.batchSize,
    greaterIsBetter: a.greaterIsBetter ?? !['loss', 'perplexity'].includes(metric),
    saveTotalLimit: a.saveTotalLimit ?? null,
    keepBestModel: a.keepBestModel ?? null,
  };
}
