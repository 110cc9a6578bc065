/**
 * The position-wise feed-forward network (Vaswani et al., 2017, section 3.3):
 * FFN(x) = W_2 act(W_1 x + b_1) + b_2, applied to every position alike.
 *
 * BERT and GPT-2 keep W_1 and W_2 in modules of their own names (intermediate/output,
 * c_fc/c_proj) and use `activationByName`. T5's two variants are here under its checkpoint
 * names: the original ReLU network (`wi`, `wo`, no biases) and T5 v1.1's gated GELU
 * (Shazeer, 2020, "GLU Variants Improve Transformer"): wo(act(wi_0 x) * wi_1 x).
 */
import { OptionError } from '../errors.js';
import { gelu, geluNew, relu, silu, tanh, type Tensor } from '../tensor/index.js';
import { Dropout, Linear } from './layers.js';
import { Module } from './module.js';

export type Activation = (x: Tensor) => Tensor;

/** transformers' ACT2FN names. "gelu" is the exact erf form; "gelu_new" the tanh approximation. */
const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  relu,
  gelu,
  gelu_new: geluNew,
  gelu_pytorch_tanh: geluNew,
  gelu_fast: geluNew,
  silu,
  swish: silu,
  tanh,
};

export function activationByName(name: string): Activation {
  const fn = ACTIVATIONS[name];
  if (!fn) throw new OptionError(`unknown activation "${name}"; expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
  return fn;
}

/** T5's feed-forward: wo(dropout(act(wi x))). */
export class DenseActDense extends Module {
  wi: Linear;
  wo: Linear;
  dropout: Dropout;
  private readonly act: Activation;

  constructor(dModel: number, dFF: number, activation: string, dropoutRate = 0) {
    super();
    this.wi = new Linear(dModel, dFF, { bias: false });
    this.wo = new Linear(dFF, dModel, { bias: false });
    this.dropout = new Dropout(dropoutRate);
    this.act = activationByName(activation);
  }

  override forward(x: Tensor): Tensor {
    return this.wo.forward(this.dropout.forward(this.wi.forward(x, this.act)));
  }
}

/** T5 v1.1's gated feed-forward: wo(dropout(act(wi_0 x) * wi_1 x)). */
export class DenseGatedActDense extends Module {
  wi_0: Linear;
  wi_1: Linear;
  wo: Linear;
  dropout: Dropout;
  private readonly act: Activation;

  constructor(dModel: number, dFF: number, activation: string, dropoutRate = 0) {
    super();
    this.wi_0 = new Linear(dModel, dFF, { bias: false });
    this.wi_1 = new Linear(dModel, dFF, { bias: false });
    this.wo = new Linear(dFF, dModel, { bias: false });
    this.dropout = new Dropout(dropoutRate);
    this.act = activationByName(activation);
  }

  override forward(x: Tensor): Tensor {
    const gate = this.wi_0.forward(x, this.act);
    return this.wo.forward(this.dropout.forward(gate.mul(this.wi_1.forward(x))));
  }
}
