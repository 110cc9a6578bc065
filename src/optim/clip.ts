import { OptionError } from '../errors.js';
import type { Parameter } from '../nn/index.js';
import { noGrad } from '../tensor/index.js';

/**
 * Scales all gradients together so their combined norm is at most maxNorm, as
 * torch.nn.utils.clip_grad_norm_ (coefficient maxNorm / (norm + 1e-6), capped at 1).
 * Returns the total norm before clipping.
 */
export function clipGradNorm(parameters: Iterable<Parameter>, maxNorm: number, normType = 2): number {
  if (!(maxNorm >= 0)) throw new OptionError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType > 0)) throw new OptionError(`clipGradNorm: normType must be > 0 (or Infinity), got ${normType}`);
  const grads = [...parameters].map((p) => p.grad).filter((g) => g !== null);
  if (grads.length === 0) return 0;
  return noGrad(() => {
    let total: number;
    if (normType === Infinity) {
      total = Math.max(...grads.map((g) => g.abs().max().item()));
    } else {
      let acc = 0;
      // the 2-norm (the usual case) needs one product per gradient, not |g| and a power
      for (const g of grads) acc += (normType === 2 ? g.mul(g) : g.abs().pow(normType)).sum().item();
      total = Math.pow(acc, 1 / normType);
    }
    const coef = maxNorm / (total + 1e-6);
    if (coef < 1) for (const g of grads) g.mul_(coef);
    return total;
  });
}
