/**
 * Adam (Kingma & Ba, 2015) and AdamW (Loshchilov & Hutter, 2019), exactly as torch.optim:
 * AdamW decays the weights directly (p *= 1 - lr * wd) instead of adding wd * p to the gradient.
 * The update of each parameter is one fused kernel pass.
 */
import { getBackend } from '../backend/index.js';
import { OptionError } from '../errors.js';
import type { Parameter } from '../nn/index.js';
import { noGrad, zerosLike, type Tensor } from '../tensor/index.js';
import { Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.js';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected validate(g: ParamGroup<AdamOptions>): void {
    const name = this.constructor.name;
    if (!(g.lr >= 0)) throw new OptionError(`${name}: invalid learning rate ${g.lr} (must be >= 0)`);
    if (!(g.eps >= 0)) throw new OptionError(`${name}: invalid eps ${g.eps} (must be >= 0)`);
    g.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new OptionError(`${name}: invalid beta at index ${i}: ${b} (must be in [0, 1))`);
    });
    if (!(g.weightDecay >= 0)) throw new OptionError(`${name}: invalid weightDecay ${g.weightDecay} (must be >= 0)`);
  }

  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (!p.grad) continue;
          let s = this.state.get(p);
          if (!s) {
            s = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
            this.state.set(p, s);
          }
          s.step = (s.step as number) + 1;
          getBackend().adamw(
            p.contiguousData() as Float32Array,
            p.grad.contiguousData() as Float32Array,
            (s.expAvg as Tensor).data as Float32Array,
            (s.expAvgSq as Tensor).data as Float32Array,
            {
              lr: group.lr, beta1: group.betas[0], beta2: group.betas[1], eps: group.eps,
              weightDecay: group.weightDecay, step: s.step, decoupled: this.decoupled, maximize: group.maximize,
            },
          );
          p.markModified();
        }
      }
    });
  }
}

/** AdamW with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weightDecay 0.01. */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: Iterable<Parameter> | ParamGroupSpec<AdamOptions>[], options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, maximize: false, ...options });
  }
}

/** Adam with PyTorch's defaults (weightDecay 0, applied as L2 on the gradient). */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: Iterable<Parameter> | ParamGroupSpec<AdamOptions>[], options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, ...options });
  }
}
