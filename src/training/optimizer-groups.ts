/**
 * The Trainer's AdamW parameter groups, as transformers' Trainer.create_optimizer: weight decay
 * applies to every weight except biases and the weights of normalization layers (LayerNorm,
 * T5's RMS norm), which get weight decay 0.
 */
import { LayerNorm, RMSNorm, type Module, type Parameter } from '../nn/index.js';
import { AdamW, type ParamGroupSpec, type AdamOptions } from '../optim/index.js';

/** Names of the parameters that decay. */
export function decayParameterNames(model: Module): Set<string> {
  const normParams = new Set<Parameter>();
  for (const m of model.modules()) {
    if (m instanceof LayerNorm || m instanceof RMSNorm || /norm/i.test(m.constructor.name)) {
      for (const [name, p] of m.namedParameters()) if (!name.includes('.')) normParams.add(p);
    }
  }
  return new Set(model.namedParameters().filter(([name, p]) => !normParams.has(p) && !/(^|\.)bias$/.test(name)).map(([name]) => name));
}

export function createAdamW(model: Module, options: Partial<AdamOptions> & { lr: number; weightDecay: number }): AdamW {
  const decay = decayParameterNames(model);
  const params = model.namedParameters().filter(([, p]) => p.requiresGrad);
  const groups: ParamGroupSpec<AdamOptions>[] = [
    { params: params.filter(([n]) => decay.has(n)).map(([, p]) => p), weightDecay: options.weightDecay },
    { params: params.filter(([n]) => !decay.has(n)).map(([, p]) => p), weightDecay: 0 },
  ];
  return new AdamW(groups, options);
}
