/** Dropout (Srivastava et al., 2014): zero each element with probability p, scale the rest by 1/(1-p). */
import { OptionError } from '../../errors.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { rand } from './create.js';
import { ge, mul } from './elementwise.js';

export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new OptionError(`dropout: p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return mul(x, 0);
  const keep = ge(rand(x.shape, { generator }), p);
  return mul(x, mul(keep, 1 / (1 - p)));
}
