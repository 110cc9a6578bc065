/** Loss functions (functional forms; nn/loss.ts wraps them as modules). */
import { getBackend } from '../../backend/index.js';
import { DTypeError, OptionError, ShapeError } from '../../errors.js';
import { record, SavedTensor } from '../autograd.js';
import { fmt, sameShape } from '../shape.js';
import { allocateUninitialized, Tensor } from '../tensor.js';
import { abs, add, exp, log, maximum, mul, sub } from './elementwise.js';
import { mean, sum } from './reduce.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface CrossEntropyOptions {
  /** Targets equal to this are skipped (transformers labels padding with -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Mixes the target with the uniform distribution (Szegedy et al., 2016). */
  labelSmoothing?: number;
}

function checkReduction(reduction: string, op: string): void {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new OptionError(`${op}: reduction must be 'mean', 'sum' or 'none', got '${reduction}'`);
  }
}

/**
 * Cross-entropy of logits [N, C] (or [N, C, d1, ...], classes on dim 1 as in PyTorch) against
 * int32 class indices [N] (or [N, d1, ...]). 'mean' averages over the targets that are not ignored.
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  checkReduction(reduction, 'crossEntropy');
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new OptionError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  if (target.dtype !== 'int32') throw new DTypeError(`crossEntropy: targets must be int32 class indices, got ${target.dtype}`);
  if (logits.ndim < 1) throw new ShapeError('crossEntropy: logits need at least 1 dim');
  // move the class dim last: [N, C, d...] -> [N, d..., C]
  const classDim = logits.ndim === 1 ? 0 : 1;
  const moved = logits.ndim > 2 ? logits.permute([0, ...Array.from({ length: logits.ndim - 2 }, (_, i) => i + 2), 1]) : logits;
  const expectedTarget = logits.shape.filter((_, i) => i !== classDim);
  if (!sameShape(target.shape, expectedTarget)) {
    throw new ShapeError(`crossEntropy: logits ${fmt(logits.shape)} need targets of shape ${fmt(expectedTarget)}, got ${fmt(target.shape)}`);
  }
  const C = logits.shape[classDim];
  const x = moved.contiguousData() as Float32Array;
  const rows = C === 0 ? 0 : x.length / C;
  const t = target.contiguousData() as Int32Array;
  const losses = new Float32Array(rows);
  const lse = new Float32Array(rows);
  getBackend().crossEntropy(x, rows, C, t, ignoreIndex, labelSmoothing, losses, lse);
  let counted = 0;
  for (let i = 0; i < rows; i++) if (t[i] !== ignoreIndex) counted++;
  const saved = new SavedTensor(logits, 'crossEntropy');
  const perRow = record(Tensor.fromArray(losses, target.shape), 'NllLossBackward', [moved], (g) => {
    saved.get();
    const gx = allocateUninitialized('float32', x.length) as Float32Array;
    getBackend().crossEntropyBackward(x, lse, rows, C, t, ignoreIndex, labelSmoothing, g.contiguousData() as Float32Array, gx);
    return [Tensor.fromArray(gx, moved.shape)];
  });
  if (reduction === 'none') return perRow;
  const total = sum(perRow);
  // with every target ignored the mean is 0/0 = NaN, as in PyTorch
  return reduction === 'sum' ? total : mul(total, counted === 0 ? NaN : 1 / counted);
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? loss : reduction === 'sum' ? sum(loss) : mean(loss);
}

/** Mean squared error. */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  checkReduction(reduction, 'mseLoss');
  if (!sameShape(input.shape, target.shape)) throw new ShapeError(`mseLoss: input ${fmt(input.shape)} and target ${fmt(target.shape)} must have the same shape`);
  const d = sub(input, target);
  return reduce(mul(d, d), reduction);
}

/** Binary cross-entropy on logits, computed stably: max(x, 0) - x y + log(1 + exp(-|x|)). */
export function bceWithLogits(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  checkReduction(reduction, 'bceWithLogits');
  if (!sameShape(input.shape, target.shape)) throw new ShapeError(`bceWithLogits: input ${fmt(input.shape)} and target ${fmt(target.shape)} must have the same shape`);
  const y = target.dtype === 'float32' ? target : target.float();
  const loss = add(sub(maximum(input, 0), mul(input, y)), log(add(exp(mul(abs(input), -1)), 1)));
  return reduce(loss, reduction);
}
