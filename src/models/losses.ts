/** The losses transformers' heads compute when labels are given. */
import { OptionError } from '../errors.js';
import { bceWithLogits, crossEntropy, mseLoss, Tensor } from '../tensor/index.js';
import type { ProblemType } from './configuration.js';

/** Cross-entropy over the last dim, ignoring label -100 (transformers' CrossEntropyLoss default). */
export function tokenCrossEntropy(logits: Tensor, labels: Tensor, ignoreIndex = -100): Tensor {
  const classes = logits.shape[logits.ndim - 1];
  return crossEntropy(logits.reshape([-1, classes]), labels.reshape([-1]), { ignoreIndex });
}

/**
 * The labels of a causal LM moved one position left, -100 at the end: position t is scored
 * against token t+1. As transformers' ForCausalLMLoss (pad with -100, then shift), this leaves
 * the logits whole, so the loss needs no slice of the [batch, length, vocab] logits nor, in the
 * backward pass, a copy of its gradient back into a full-size tensor.
 */
export function shiftLabelsLeft(labels: Tensor, ignoreIndex = -100): Tensor {
  const [rows, length] = [labels.numel() / labels.shape[labels.ndim - 1], labels.shape[labels.ndim - 1]];
  const src = labels.contiguousData();
  const out = new Int32Array(src.length).fill(ignoreIndex);
  for (let r = 0; r < rows; r++) out.set(src.subarray(r * length + 1, (r + 1) * length), r * length);
  return Tensor.fromArray(out, labels.shape);
}

/**
 * Sequence classification, as BertForSequenceClassification decides: regression when there is
 * one label, single-label classification for integer labels, multi-label (BCE) for float labels,
 * unless config.problem_type says which.
 */
export function sequenceClassificationLoss(logits: Tensor, labels: Tensor, numLabels: number, problemType: ProblemType | null): { loss: Tensor; problemType: ProblemType } {
  const type: ProblemType = problemType
    ?? (numLabels === 1 ? 'regression' : labels.dtype === 'int32' ? 'single_label_classification' : 'multi_label_classification');
  switch (type) {
    case 'regression': {
      const target = labels.float();
      const loss = numLabels === 1 ? mseLoss(logits.squeeze(), target.squeeze()) : mseLoss(logits, target);
      return { loss, problemType: type };
    }
    case 'single_label_classification':
      return { loss: tokenCrossEntropy(logits, labels.int()), problemType: type };
    case 'multi_label_classification':
      return { loss: bceWithLogits(logits, labels.float()), problemType: type };
    default:
      throw new OptionError(`problem_type ${JSON.stringify(type)} is not one of regression, single_label_classification, multi_label_classification`);
  }
}

/** Clamps int32 values into [min, max] (positions outside the sequence become ignorable). */
export function clampIds(ids: Tensor, min: number, max: number): Tensor {
  const src = ids.contiguousData();
  return Tensor.fromArray(Int32Array.from(src, (v) => Math.min(Math.max(v, min), max)), ids.shape);
}
