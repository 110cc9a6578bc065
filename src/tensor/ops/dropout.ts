/** Dropout (Srivastava et al., 2014): zero each element with probability p, scale the rest by 1/(1-p). */
import { OptionError } from '../../errors.js';
import { defaultGenerator, type Generator } from '../random.js';
import { allocateUninitialized, Tensor } from '../tensor.js';
import { mul } from './elementwise.js';

export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new OptionError(`dropout: p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return mul(x, 0);
  // the mask holds 1/(1-p) where an element is kept and 0 where it is dropped, made in one pass
  const scale = 1 / (1 - p);
  const mask = allocateUninitialized('float32', x.numel()) as Float32Array;
  (generator ?? defaultGenerator).dropoutMask(mask, p, scale);
  return mul(x, Tensor.fromArray(mask, x.shape));
}
