/**
 * GPT-2's "Conv1D" (Radford et al., 2019, inherited from the original TensorFlow code): a linear
 * layer whose weight is stored [in, out] and computes x W + b, i.e. Linear with the weight
 * transposed. Kotoba keeps the checkpoint layout and passes the transposed view (no copy).
 */
import { empty, linear, type Tensor } from '../tensor/index.js';
import { normal_, zeros_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export class Conv1D extends Module {
  /** [inFeatures, outFeatures] */
  weight: Parameter;
  bias: Parameter;

  constructor(readonly inFeatures: number, readonly outFeatures: number) {
    super();
    this.weight = new Parameter(normal_(empty([inFeatures, outFeatures]), 0, 0.02));
    this.bias = new Parameter(zeros_(empty([outFeatures])));
  }

  /** x W + b, then `activation` if given (fused into the product when nothing needs a gradient). */
  override forward(x: Tensor, activation?: (x: Tensor) => Tensor): Tensor {
    return linear(x, this.weight.t(), this.bias, activation);
  }
}
