/**
 * Metrics computed during evaluation, per task. The Trainer feeds each evaluation batch (inputs,
 * the model's outputs and the examples) to `add`, then calls `compute` with the mean loss.
 */
import type { Tensor } from '../../tensor/index.js';
import type { Batch } from '../collators/types.js';
import type { Example } from '../data/example.js';
import { accuracy, macroF1 } from './classification.js';
import { squadScores } from './question-answering.js';
import { entityScores } from './seqeval.js';

/** What a model's forward returns, as far as training is concerned. */
export interface ModelOutputs {
  loss?: Tensor;
  logits?: Tensor;
  startLogits?: Tensor;
  endLogits?: Tensor;
}

export interface TaskMetrics {
  add(batch: Batch, outputs: ModelOutputs, examples: readonly Example[]): void;
  /** Metric values by name (without the "eval_" prefix). */
  compute(meanLoss: number): Record<string, number>;
}

/** Index of the largest of `n` values starting at `offset`. */
function argmax(data: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (data[offset + i] > data[offset + best]) best = i;
  return best;
}

/** Language modeling: perplexity = exp(mean cross-entropy). */
export function languageModelingMetrics(): TaskMetrics {
  return {
    add() {},
    compute: (loss) => ({ perplexity: Math.exp(Math.min(loss, 700)) }),
  };
}

/** Sequence classification: accuracy and macro-F1 of the argmax class. */
export function classificationMetrics(): TaskMetrics {
  const predictions: number[] = [];
  const references: number[] = [];
  return {
    add(batch, outputs) {
      const logits = outputs.logits!;
      const [rows, classes] = logits.shape;
      const data = logits.contiguousData();
      const labels = batch.labels.contiguousData();
      for (let r = 0; r < rows; r++) {
        predictions.push(argmax(data, r * classes, classes));
        references.push(labels[r]);
      }
    },
    compute: () => ({ accuracy: accuracy(predictions, references), macroF1: macroF1(predictions, references) }),
  };
}

/** Token classification: seqeval-style entity precision/recall/F1 and token accuracy (labelled tokens only). */
export function tokenClassificationMetrics(id2label: readonly string[]): TaskMetrics {
  const predictions: string[][] = [];
  const references: string[][] = [];
  let right = 0;
  let total = 0;
  return {
    add(batch, outputs) {
      const logits = outputs.logits!;
      const [rows, length, classes] = logits.shape;
      const data = logits.contiguousData();
      const labels = batch.labels.contiguousData();
      for (let r = 0; r < rows; r++) {
        const pred: string[] = [];
        const ref: string[] = [];
        for (let t = 0; t < length; t++) {
          const label = labels[r * length + t];
          if (label === -100) continue;
          const p = argmax(data, (r * length + t) * classes, classes);
          pred.push(id2label[p]);
          ref.push(id2label[label]);
          total++;
          if (p === label) right++;
        }
        predictions.push(pred);
        references.push(ref);
      }
    },
    compute: () => {
      const s = entityScores(predictions, references);
      return { precision: s.precision, recall: s.recall, f1: s.f1, accuracy: total ? right / total : 0 };
    },
  };
}

/**
 * Extractive QA: the best span (start <= end, both inside the context, at most maxAnswerTokens
 * long) by start + end logit, mapped back to context text, scored by SQuAD exact match and F1.
 */
export function questionAnsweringMetrics(maxAnswerTokens = 30): TaskMetrics {
  const predictions: string[] = [];
  const answers: string[][] = [];
  return {
    add(_batch, outputs, examples) {
      const start = outputs.startLogits!.contiguousData();
      const end = outputs.endLogits!.contiguousData();
      const length = outputs.startLogits!.shape[1];
      examples.forEach((e, r) => {
        const meta = e.meta!;
        let best = -Infinity;
        let text = '';
        for (let s = 0; s < meta.offsets.length; s++) {
          const so = meta.offsets[s];
          if (!so) continue;
          for (let t = s; t < Math.min(meta.offsets.length, s + maxAnswerTokens); t++) {
            const eo = meta.offsets[t];
            if (!eo) continue;
            const score = start[r * length + s] + end[r * length + t];
            if (score > best) { best = score; text = meta.context.slice(so[0], eo[1]); }
          }
        }
        predictions.push(text);
        answers.push(meta.answers);
      });
    },
    compute: () => squadScores(predictions, answers),
  };
}
