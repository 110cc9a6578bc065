/**
 * The evaluation loop: the model in eval mode (no dropout), no gradients, batches in file order.
 * The loss is the mean of the batch losses weighted by batch size, as transformers' Trainer
 * reports eval_loss; task metrics come from the TaskMetrics accumulator.
 */
import type { Module } from '../nn/index.js';
import { Generator, noGrad } from '../tensor/index.js';
import type { Collator } from './collators/types.js';
import type { Example } from './data/example.js';
import type { ModelOutputs, TaskMetrics } from './metrics/task-metrics.js';

export interface EvaluateOptions {
  batchSize: number;
  /** Seed of the collator's randomness (MLM masks, spans): the same every evaluation, so evaluations compare. */
  seed: number;
  metrics?: TaskMetrics;
}

/** Runs the model over the examples; returns { loss, ...task metrics } without any prefix. */
export function evaluateModel(model: Module, examples: readonly Example[], collator: Collator, options: EvaluateOptions): Record<string, number> {
  const wasTraining = model.training;
  model.eval();
  const generator = new Generator(options.seed);
  let lossSum = 0;
  let counted = 0;
  try {
    noGrad(() => {
      for (let start = 0; start < examples.length; start += options.batchSize) {
        const chunk = examples.slice(start, start + options.batchSize);
        const batch = collator.collate(chunk, generator);
        const outputs = model.forward(batch) as ModelOutputs;
        if (outputs.loss) {
          const loss = outputs.loss.item();
          if (Number.isFinite(loss)) { lossSum += loss * chunk.length; counted += chunk.length; }
        }
        options.metrics?.add(batch, outputs, chunk);
      }
    });
  } finally {
    model.train(wasTraining);
  }
  const loss = counted ? lossSum / counted : NaN;
  return { loss, ...(options.metrics?.compute(loss) ?? {}) };
}
