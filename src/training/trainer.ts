/**
 * The Trainer: the training loop of transformers' Trainer, for any Module whose
 * forward(batch) returns { loss } (every Kotoba model with labels does).
 *
 * One optimizer step = `gradientAccumulationSteps` micro-batches, each loss divided by the number
 * of micro-batches so the gradients add up to the mean; then gradient clipping, AdamW, the
 * learning-rate schedule. Around it: logging every `loggingSteps`, evaluation every `evalSteps`
 * with early stopping and best-model keeping, checkpoints every `saveSteps` and at the end, and a
 * clean stop on Ctrl-C (SIGINT) after saving a checkpoint.
 *
 * Resuming restores the model, AdamW's moments, the schedule, both random generators (dropout's
 * default generator and the collators' data generator) and the position in the data (epoch and
 * micro-batch; each epoch's order is derived from the seed), so a resumed run computes exactly the
 * losses an uninterrupted run would have.
 */
import { mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../errors.js';
import type { SaveFileContents } from '../hub/index.js';
import { tempSibling, writeFileAtomic } from '../hub/atomic.js';
import type { Module } from '../nn/index.js';
import {
  clipGradNorm, getConstantSchedule, getConstantScheduleWithWarmup, getCosineScheduleWithWarmup, getLinearScheduleWithWarmup,
  type LambdaLR, type Optimizer,
} from '../optim/index.js';
import { defaultGenerator, Generator, manualSeed } from '../tensor/index.js';
import {
  latestCheckpoint, loadCheckpoint, removeStaleCheckpointTemps, rotateCheckpoints, saveCheckpoint, type TrainerState,
} from './checkpoint.js';
import type { Batch, Collator } from './collators/types.js';
import type { Example } from './data/example.js';
import { epochOrder } from './data/shuffle.js';
import { evaluateModel } from './evaluation.js';
import type { ModelOutputs, TaskMetrics } from './metrics/task-metrics.js';
import { appendMetrics, readMetrics, truncateMetrics, type MetricsRecord } from './metrics-log.js';
import { loadModelWeights, saveModel } from './model-io.js';
import { createAdamW } from './optimizer-groups.js';
import { renderTrainingPlot, PLOT_FILE } from './plot.js';
import { formatRecord, ProgressReporter } from './progress.js';
import { resolveArguments, type ResolvedArguments, type TrainingArguments } from './training-args.js';

export const BEST_MODEL_DIR = 'best-model';

export interface TrainerInit {
  model: Module;
  args: TrainingArguments;
  trainDataset: readonly Example[];
  evalDataset?: readonly Example[];
  collator: Collator;
  /** Collator for evaluation (default: the training collator). */
  evalCollator?: Collator;
  /** A fresh metrics accumulator per evaluation (task metrics beyond the loss). */
  metrics?: () => TaskMetrics;
  /** Files written into every saved model folder (tokenizer.json, ...). */
  modelFiles?: Readonly<Record<string, SaveFileContents>>;
  /** A custom optimizer and schedule (default: AdamW with grouped weight decay + the chosen schedule). */
  optimizer?: Optimizer<{ lr: number }>;
  scheduler?: LambdaLR;
  /** Receives every log/eval record (after it is written to metrics.jsonl). */
  onLog?: (record: MetricsRecord) => void;
}

export interface TrainResult {
  globalStep: number;
  trainLoss: number;
  /** True when stopped by SIGINT (a checkpoint was saved) or early stopping. */
  interrupted: boolean;
  earlyStopped: boolean;
  bestMetric: number | null;
  bestStep: number | null;
  lastCheckpoint: string | null;
  evalMetrics: Record<string, number> | null;
}

export class Trainer {
  readonly model: Module;
  readonly args: ResolvedArguments;
  readonly trainDataset: readonly Example[];
  readonly evalDataset: readonly Example[] | undefined;
  readonly optimizer: Optimizer<{ lr: number }>;
  readonly scheduler: LambdaLR;
  readonly totalSteps: number;
  /** Micro-batches per epoch. */
  readonly batchesPerEpoch: number;
  /** The collators' random generator (masking, span corruption), checkpointed. */
  readonly dataGenerator: Generator;
  private readonly init: TrainerInit;
  private readonly progress: ProgressReporter;
  private state: Omit<TrainerState, 'optimizer'>;
  private stopRequested = false;

  constructor(init: TrainerInit) {
    this.init = init;
    this.model = init.model;
    this.args = resolveArguments(init.args);
    this.trainDataset = init.trainDataset;
    this.evalDataset = init.evalDataset && init.evalDataset.length ? init.evalDataset : undefined;
    if (this.trainDataset.length === 0) throw new OptionError('the training data set is empty: no examples to train on');
    const a = this.args;
    this.batchesPerEpoch = Math.ceil(this.trainDataset.length / a.batchSize);
    const stepsPerEpoch = Math.ceil(this.batchesPerEpoch / a.gradientAccumulationSteps);
    this.totalSteps = a.maxSteps > 0 ? a.maxSteps : Math.ceil(a.numTrainEpochs * stepsPerEpoch);
    this.optimizer = init.optimizer ?? createAdamW(this.model, {
      lr: a.learningRate, weightDecay: a.weightDecay, betas: [a.adamBeta1, a.adamBeta2], eps: a.adamEpsilon,
    });
    this.scheduler = init.scheduler ?? this.createScheduler();
    this.dataGenerator = new Generator(a.seed);
    this.progress = new ProgressReporter(a.progress);
    this.state = this.freshState();
  }

  /** Asks the run to stop after the current step, saving a checkpoint (what Ctrl-C does). */
  stop(): void {
    this.stopRequested = true;
  }

  private createScheduler(): LambdaLR {
    const a = this.args;
    const warmup = a.warmupSteps > 0 ? a.warmupSteps : Math.ceil(a.warmupRatio * this.totalSteps);
    switch (a.lrSchedulerType) {
      case 'cosine': return getCosineScheduleWithWarmup(this.optimizer, warmup, this.totalSteps);
      case 'constant': return getConstantSchedule(this.optimizer);
      case 'constant_with_warmup': return getConstantScheduleWithWarmup(this.optimizer, warmup);
      default: return getLinearScheduleWithWarmup(this.optimizer, warmup, this.totalSteps);
    }
  }

  private freshState(): Omit<TrainerState, 'optimizer'> {
    return {
      formatVersion: 1, globalStep: 0, epoch: 0, batchInEpoch: 0, totalSteps: this.totalSteps, seed: this.args.seed,
      trainSize: this.trainDataset.length, scheduler: this.scheduler.stateDict(), rng: { default: [], data: [] },
      bestMetric: null, bestStep: null, evalsWithoutImprovement: 0, logHistory: [],
    };
  }

  /** Trains to the end (or until SIGINT / early stopping). `resumeFromCheckpoint`: a checkpoint folder, or true for the latest in outputDir. */
  async train(options: { resumeFromCheckpoint?: string | boolean } = {}): Promise<TrainResult> {
    const a = this.args;
    mkdirSync(a.outputDir, { recursive: true });
    removeStaleCheckpointTemps(a.outputDir);
    if (options.resumeFromCheckpoint) this.resume(options.resumeFromCheckpoint);
    else {
      manualSeed(a.seed); // transformers' set_seed: dropout draws from the default generator
      this.dataGenerator.manualSeed(a.seed);
    }
    this.stopRequested = false;
    const onSigint = () => {
      if (this.stopRequested) process.exit(130);
      this.stop();
      this.progress.line('Interrupted: stopping after this step and saving a checkpoint (Ctrl-C again to quit at once).');
    };
    process.on('SIGINT', onSigint);
    const result: TrainResult = {
      globalStep: 0, trainLoss: NaN, interrupted: false, earlyStopped: false, bestMetric: null, bestStep: null, lastCheckpoint: null, evalMetrics: null,
    };
    let lossSum = 0;
    let lossSteps = 0;
    const window = new LogWindow();
    const runStart = performance.now();
    const startStep = this.state.globalStep;
    let lastEvalStep = -1;
    let lastSaveStep = -1;
    this.model.train();
    try {
      while (this.state.globalStep < this.totalSteps && !this.stopRequested && !result.earlyStopped) {
        const order = epochOrder(this.trainDataset.length, a.seed, this.state.epoch, a.shuffle);
        while (this.state.batchInEpoch < this.batchesPerEpoch && this.state.globalStep < this.totalSteps) {
          const { loss, tokens, gradNorm } = this.trainingStep(order);
          this.state.globalStep++;
          lossSum += loss; lossSteps++;
          window.add(loss, tokens, gradNorm);
          const step = this.state.globalStep;
          const lr = this.optimizer.paramGroups[0].lr;
          const secondsPerStep = (performance.now() - runStart) / 1000 / (step - startStep);
          this.progress.update({
            step, total: this.totalSteps, loss: window.meanLoss, learningRate: lr,
            tokensPerSecond: window.tokensPerSecond, etaSeconds: secondsPerStep * (this.totalSteps - step),
          });
          if (step % a.loggingSteps === 0 || step === this.totalSteps) {
            this.log({ step, epoch: this.fractionalEpoch(), ...window.record(lr, a.maxGradNorm > 0) });
            window.reset();
          }
          if (this.evalDataset && a.evalSteps > 0 && step % a.evalSteps === 0) {
            result.evalMetrics = this.evaluateAndTrack(result);
            lastEvalStep = step;
          }
          if (a.saveSteps > 0 && step % a.saveSteps === 0) {
            result.lastCheckpoint = this.saveCheckpoint();
            lastSaveStep = step;
          }
          // let Ctrl-C (and other events) in between steps
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.stopRequested || result.earlyStopped) break;
        }
        if (this.state.batchInEpoch >= this.batchesPerEpoch) {
          this.state.epoch++;
          this.state.batchInEpoch = 0;
        }
      }
      const step = this.state.globalStep;
      result.interrupted = this.stopRequested;
      if (!this.stopRequested && this.evalDataset && lastEvalStep !== step) result.evalMetrics = this.evaluateAndTrack(result);
      if (lastSaveStep !== step) result.lastCheckpoint = this.saveCheckpoint();
      if (!this.stopRequested) this.saveFinalModel();
    } finally {
      process.off('SIGINT', onSigint);
      this.progress.end();
    }
    result.globalStep = this.state.globalStep;
    result.trainLoss = lossSteps ? lossSum / lossSteps : NaN;
    result.bestMetric = this.state.bestMetric;
    result.bestStep = this.state.bestStep;
    return result;
  }

  /** One optimizer step over up to gradientAccumulationSteps micro-batches; returns the step's loss and gradient norm (before clipping). */
  private trainingStep(order: readonly number[]): { loss: number; tokens: number; gradNorm: number } {
    const a = this.args;
    const micro = Math.min(a.gradientAccumulationSteps, this.batchesPerEpoch - this.state.batchInEpoch);
    let stepLoss = 0;
    let tokens = 0;
    for (let k = 0; k < micro; k++) {
      const start = this.state.batchInEpoch * a.batchSize;
      const examples = order.slice(start, start + a.batchSize).map((i) => this.trainDataset[i]);
      const batch = this.init.collator.collate(examples, this.dataGenerator);
      const outputs = this.model.forward(batch) as ModelOutputs;
      if (!outputs?.loss) throw new OptionError('the model returned no loss: give it labels (use a collator that adds them) or a model with a task head');
      const loss = outputs.loss.div(micro);
      loss.backward();
      stepLoss += loss.item();
      tokens += countTokens(batch);
      this.state.batchInEpoch++;
    }
    const gradNorm = a.maxGradNorm > 0 ? clipGradNorm(this.model.parameters(), a.maxGradNorm) : NaN;
    this.optimizer.step();
    this.scheduler.step();
    this.optimizer.zeroGrad();
    return { loss: stepLoss, tokens, gradNorm };
  }

  private fractionalEpoch(): number {
    return this.state.epoch + this.state.batchInEpoch / this.batchesPerEpoch;
  }

  /** Evaluates on the evaluation set: { eval_loss, eval_<metric>, ... }. */
  evaluate(): Record<string, number> {
    if (!this.evalDataset) throw new OptionError('evaluate: no evaluation data set was given');
    const metrics = evaluateModel(this.model, this.evalDataset, this.init.evalCollator ?? this.init.collator, {
      batchSize: this.args.evalBatchSize, seed: this.args.seed + 1, metrics: this.init.metrics?.(),
    });
    return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`eval_${k}`, v]));
  }

  /** Evaluate, log, keep the best model and count evaluations without improvement (early stopping). */
  private evaluateAndTrack(result: TrainResult): Record<string, number> {
    const a = this.args;
    const metrics = this.evaluate();
    this.log({ step: this.state.globalStep, epoch: this.fractionalEpoch(), ...metrics });
    const key = `eval_${a.metricForBestModel}`;
    const value = metrics[key];
    if (value === undefined) {
      throw new OptionError(`metricForBestModel: the evaluation has no ${JSON.stringify(a.metricForBestModel)}; it reports ${Object.keys(metrics).map((k) => k.replace(/^eval_/, '')).join(', ')}`);
    }
    const best = this.state.bestMetric;
    const improved = best === null || (a.greaterIsBetter ? value > best + a.earlyStoppingThreshold : value < best - a.earlyStoppingThreshold);
    if (improved) {
      this.state.bestMetric = value;
      this.state.bestStep = this.state.globalStep;
      this.state.evalsWithoutImprovement = 0;
      if (a.keepBestModel ?? true) this.saveModelFolder(join(a.outputDir, BEST_MODEL_DIR));
    } else {
      this.state.evalsWithoutImprovement++;
      if (a.earlyStoppingPatience > 0 && this.state.evalsWithoutImprovement >= a.earlyStoppingPatience) {
        result.earlyStopped = true;
        this.progress.line(`Early stopping: ${key} has not improved for ${this.state.evalsWithoutImprovement} evaluations (best ${best} at step ${this.state.bestStep}).`);
      }
    }
    writeFileAtomic(join(a.outputDir, PLOT_FILE), renderTrainingPlot(readMetrics(a.outputDir), a.metricForBestModel));
    return metrics;
  }

  private log(record: MetricsRecord): void {
    this.state.logHistory.push(record);
    appendMetrics(this.args.outputDir, record);
    this.progress.line(formatRecord(record));
    this.init.onLog?.(record);
  }

  private saveCheckpoint(): string {
    this.state.scheduler = this.scheduler.stateDict();
    this.state.rng = { default: defaultGenerator.getState(), data: this.dataGenerator.getState() };
    const path = saveCheckpoint({ outputDir: this.args.outputDir, model: this.model, optimizer: this.optimizer, state: this.state, files: this.init.modelFiles });
    if (this.args.saveTotalLimit !== null) rotateCheckpoints(this.args.outputDir, this.args.saveTotalLimit, path);
    return path;
  }

  private resume(from: string | boolean): void {
    const folder = from === true ? latestCheckpoint(this.args.outputDir) : (from as string);
    if (!folder) throw new OptionError(`--resume: no checkpoint in ${this.args.outputDir} (checkpoint-<step> folders); start without --resume`);
    if (!existsSync(folder)) throw new OptionError(`--resume: ${folder} does not exist`);
    const { optimizer: _saved, ...state } = loadCheckpoint(folder, this.model, this.optimizer);
    if (state.trainSize !== this.trainDataset.length || state.seed !== this.args.seed) {
      throw new OptionError(`--resume: ${folder} was made with ${state.trainSize} training examples and seed ${state.seed}; this run has ${this.trainDataset.length} and seed ${this.args.seed}. Resume with the same data and options.`);
    }
    this.scheduler.loadStateDict(state.scheduler);
    defaultGenerator.setState(state.rng.default);
    this.dataGenerator.setState(state.rng.data);
    this.state = state;
    truncateMetrics(this.args.outputDir, state.globalStep);
    this.progress.line(`Resuming from ${folder} at step ${state.globalStep}/${this.totalSteps} (epoch ${state.epoch}).`);
  }

  /** Writes a model folder whole: a staging folder renamed over the old one. */
  private saveModelFolder(folder: string): void {
    const staging = tempSibling(folder, '.partial');
    mkdirSync(staging, { recursive: true });
    try {
      saveModel(this.model, staging, this.init.modelFiles);
      const old = existsSync(folder) ? tempSibling(folder, '.old') : null;
      if (old) renameSync(folder, old);
      renameSync(staging, folder);
      if (old) rmSync(old, { recursive: true, force: true });
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /** The final model in outputDir (the best one when loadBestModelAtEnd). */
  private saveFinalModel(): void {
    const best = join(this.args.outputDir, BEST_MODEL_DIR);
    if (this.args.loadBestModelAtEnd && existsSync(best)) loadModelWeights(this.model, best);
    saveModel(this.model, this.args.outputDir, this.init.modelFiles);
  }
}

/** What the steps since the last log add up to: mean loss and gradient norm, tokens per second. */
class LogWindow {
  private loss = 0;
  private gradNorm = 0;
  private tokens = 0;
  private steps = 0;
  private start = performance.now();

  add(loss: number, tokens: number, gradNorm: number): void {
    this.loss += loss;
    this.tokens += tokens;
    this.gradNorm += gradNorm;
    this.steps++;
  }

  get meanLoss(): number {
    return this.loss / this.steps;
  }

  get tokensPerSecond(): number {
    return this.tokens / Math.max((performance.now() - this.start) / 1000, 1e-9);
  }

  /** The log record (transformers' names): loss, learning_rate, tokens_per_second, grad_norm. */
  record(learningRate: number, withGradNorm: boolean): MetricsRecord {
    return {
      loss: this.meanLoss, learning_rate: learningRate, tokens_per_second: this.tokensPerSecond,
      ...(withGradNorm ? { grad_norm: this.gradNorm / this.steps } : {}),
    };
  }

  reset(): void {
    this.loss = 0;
    this.gradNorm = 0;
    this.tokens = 0;
    this.steps = 0;
    this.start = performance.now();
  }
}

/** Tokens a batch feeds the model (non-padding when there is an attention mask). */
function countTokens(batch: Batch): number {
  const mask = batch.attentionMask;
  if (!mask) return batch.inputIds?.numel() ?? 0;
  let n = 0;
  for (const v of mask.contiguousData()) n += v;
  return n;
}
