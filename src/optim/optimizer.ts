/**
 * The optimizer base, as torch.optim.Optimizer: parameter groups with their own hyper-parameters,
 * per-parameter state, zeroGrad, and a state dict for checkpoints (parameters by position).
 */
import { OptionError, StateDictError } from '../errors.js';
import type { Parameter } from '../nn/index.js';
import { Tensor } from '../tensor/index.js';

export type ParamGroup<O> = O & { params: Parameter[]; lr: number; initialLr?: number };
export type ParamGroupSpec<O> = Partial<O> & { params: Iterable<Parameter>; lr?: number };
export type ParamState = Record<string, Tensor | number>;

export interface OptimizerStateDict {
  /** State by parameter position (over all groups, in order). */
  state: Record<number, ParamState>;
  /** The groups' hyper-parameters, with params given as positions. */
  paramGroups: Record<string, unknown>[];
}

export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: ParamGroup<O>[];
  readonly state = new Map<Parameter, ParamState>();

  constructor(params: Iterable<Parameter> | ParamGroupSpec<O>[], readonly defaults: O) {
    const list = [...params] as (Parameter | ParamGroupSpec<O>)[];
    const specs: ParamGroupSpec<O>[] = list.length > 0 && list[0] instanceof Tensor
      ? [{ params: list as Parameter[] } as unknown as ParamGroupSpec<O>]
      : (list as ParamGroupSpec<O>[]);
    const seen = new Set<Parameter>();
    this.paramGroups = specs.map((spec, gi) => {
      const groupParams = [...spec.params];
      for (const p of groupParams) {
        if (seen.has(p)) throw new OptionError(`${this.constructor.name}: a parameter appears in more than one group (group ${gi})`);
        seen.add(p);
      }
      return { ...defaults, ...spec, params: groupParams } as ParamGroup<O>;
    });
    for (const g of this.paramGroups) this.validate(g);
  }

  /** Checks a group's hyper-parameters; throws OptionError naming the bad one. */
  protected abstract validate(group: ParamGroup<O>): void;

  /** One update of every parameter that has a gradient. */
  abstract step(): void;

  /** Clears gradients (sets them to null, PyTorch's default). */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (setToNone) p.grad = null;
        else p.grad?.zero_();
      }
    }
  }

  private allParams(): Parameter[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    this.allParams().forEach((p, i) => {
      const s = this.state.get(p);
      if (s) state[i] = { ...s };
    });
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...hyper } = g;
      return { ...hyper, params: params.map(() => index++) };
    });
    return { state, paramGroups };
  }

  loadStateDict(sd: OptimizerStateDict): void {
    const params = this.allParams();
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new StateDictError(`${this.constructor.name}.loadStateDict: ${sd.paramGroups.length} parameter groups in the state, the optimizer has ${this.paramGroups.length}`);
    }
    sd.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi];
      const positions = saved.params as number[];
      if (positions.length !== group.params.length) {
        throw new StateDictError(`${this.constructor.name}.loadStateDict: group ${gi} has ${positions.length} parameters in the state, ${group.params.length} in the optimizer`);
      }
      const { params: _ignored, ...hyper } = saved;
      Object.assign(group, hyper);
    });
    this.state.clear();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      if (!p) throw new StateDictError(`${this.constructor.name}.loadStateDict: state for parameter ${key}, but there are only ${params.length}`);
      for (const [name, v] of Object.entries(s)) {
        if (v instanceof Tensor && v.numel() !== p.numel()) {
          throw new StateDictError(`${this.constructor.name}.loadStateDict: state '${name}' of parameter ${key} has ${v.numel()} elements, the parameter ${p.numel()}`);
        }
      }
      this.state.set(p, Object.fromEntries(Object.entries(s).map(([n, v]) => [n, v instanceof Tensor ? v.contiguous().clone() : v])));
    }
  }
}
