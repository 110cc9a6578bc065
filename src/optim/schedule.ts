/**
 * Learning-rate schedules: a LambdaLR (lr = initial lr * factor(step)) and the factors of Hugging
 * Face's get_linear/cosine/constant_schedule_with_warmup, step for step.
 */
import { OptionError } from '../errors.js';
import type { Optimizer } from './optimizer.js';

export class LambdaLR {
  /** Number of step() calls so far (PyTorch's last_epoch). */
  lastStep = 0;
  private readonly baseLrs: number[];

  constructor(readonly optimizer: Optimizer<{ lr: number }>, readonly factor: (step: number) => number) {
    this.baseLrs = optimizer.paramGroups.map((g) => {
      g.initialLr ??= g.lr;
      return g.initialLr;
    });
    this.apply();
  }

  private apply(): void {
    const f = this.factor(this.lastStep);
    this.optimizer.paramGroups.forEach((g, i) => { g.lr = this.baseLrs[i] * f; });
  }

  /** Advances the schedule; call after optimizer.step(). */
  step(): void {
    this.lastStep++;
    this.apply();
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): { lastStep: number; baseLrs: number[] } {
    return { lastStep: this.lastStep, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(sd: { lastStep: number; baseLrs?: number[] }): void {
    this.lastStep = sd.lastStep;
    if (sd.baseLrs) sd.baseLrs.forEach((lr, i) => { this.baseLrs[i] = lr; });
    this.apply();
  }
}

function checkSteps(name: string, warmup: number, total?: number): void {
  if (!Number.isInteger(warmup) || warmup < 0) throw new OptionError(`${name}: numWarmupSteps must be a non-negative integer, got ${warmup}`);
  if (total !== undefined && (!Number.isInteger(total) || total < 0)) throw new OptionError(`${name}: numTrainingSteps must be a non-negative integer, got ${total}`);
}

const warmupFactor = (step: number, warmup: number) => step / Math.max(1, warmup);

/** Linear warmup from 0 to the initial lr, then linear decay to 0 at numTrainingSteps. */
export function getLinearScheduleWithWarmup(optimizer: Optimizer<{ lr: number }>, numWarmupSteps: number, numTrainingSteps: number): LambdaLR {
  checkSteps('getLinearScheduleWithWarmup', numWarmupSteps, numTrainingSteps);
  return new LambdaLR(optimizer, (step) =>
    step < numWarmupSteps
      ? warmupFactor(step, numWarmupSteps)
      : Math.max(0, (numTrainingSteps - step) / Math.max(1, numTrainingSteps - numWarmupSteps)));
}

/** Linear warmup, then a cosine decay over numCycles half-waves (0.5 = down to 0 once). */
export function getCosineScheduleWithWarmup(
  optimizer: Optimizer<{ lr: number }>, numWarmupSteps: number, numTrainingSteps: number, numCycles = 0.5,
): LambdaLR {
  checkSteps('getCosineScheduleWithWarmup', numWarmupSteps, numTrainingSteps);
  return new LambdaLR(optimizer, (step) => {
    if (step < numWarmupSteps) return warmupFactor(step, numWarmupSteps);
    const progress = (step - numWarmupSteps) / Math.max(1, numTrainingSteps - numWarmupSteps);
    return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
  });
}

/** Linear warmup, then constant. */
export function getConstantScheduleWithWarmup(optimizer: Optimizer<{ lr: number }>, numWarmupSteps: number): LambdaLR {
  checkSteps('getConstantScheduleWithWarmup', numWarmupSteps);
  return new LambdaLR(optimizer, (step) => (step < numWarmupSteps ? warmupFactor(step, numWarmupSteps) : 1));
}

export function getConstantSchedule(optimizer: Optimizer<{ lr: number }>): LambdaLR {
  return new LambdaLR(optimizer, () => 1);
}
