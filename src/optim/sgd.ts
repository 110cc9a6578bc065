/** Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, as torch.optim.SGD. */
import { OptionError } from '../errors.js';
import type { Parameter } from '../nn/index.js';
import { noGrad, type Tensor } from '../tensor/index.js';
import { Optimizer, type ParamGroup, type ParamGroupSpec } from './optimizer.js';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Iterable<Parameter> | ParamGroupSpec<SGDOptions>[], options: Partial<SGDOptions> = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options });
  }

  protected validate(g: ParamGroup<SGDOptions>): void {
    if (!(g.lr >= 0)) throw new OptionError(`SGD: invalid learning rate ${g.lr} (must be >= 0)`);
    if (!(g.momentum >= 0)) throw new OptionError(`SGD: invalid momentum ${g.momentum} (must be >= 0)`);
    if (!(g.weightDecay >= 0)) throw new OptionError(`SGD: invalid weightDecay ${g.weightDecay} (must be >= 0)`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new OptionError('SGD: nesterov needs momentum > 0 and dampening 0');
  }

  step(): void {
    noGrad(() => {
      for (const g of this.paramGroups) {
        for (const p of g.params) {
          if (!p.grad) continue;
          let d: Tensor = g.maximize ? p.grad.neg() : p.grad;
          if (g.weightDecay !== 0) d = d.add(p.mul(g.weightDecay));
          if (g.momentum !== 0) {
            const s = this.state.get(p);
            let buf = s?.momentumBuffer as Tensor | undefined;
            if (!buf) {
              buf = d.clone();
              this.state.set(p, { momentumBuffer: buf });
            } else {
              buf.mul_(g.momentum).add_(d, 1 - g.dampening);
            }
            d = g.nesterov ? d.add(buf.mul(g.momentum)) : buf;
          }
          p.add_(d, -g.lr);
        }
      }
    });
  }
}
