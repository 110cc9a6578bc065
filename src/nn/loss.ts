/** Loss modules (PyTorch's names), wrapping the functional losses in tensor/ops/loss.ts. */
import { bceWithLogits, crossEntropy, mseLoss, type CrossEntropyOptions, type Reduction, type Tensor } from '../tensor/index.js';
import { Module } from './module.js';

export class CrossEntropyLoss extends Module {
  constructor(readonly options: CrossEntropyOptions = {}) {
    super();
  }

  override forward(logits: Tensor, target: Tensor): Tensor {
    return crossEntropy(logits, target, this.options);
  }
}

export class MSELoss extends Module {
  constructor(readonly options: { reduction?: Reduction } = {}) {
    super();
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

export class BCEWithLogitsLoss extends Module {
  constructor(readonly options: { reduction?: Reduction } = {}) {
    super();
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogits(input, target, this.options);
  }
}
