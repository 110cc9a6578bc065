import { Tensor } from '../tensor/index.js';
import { DTypeError } from '../errors.js';

/** A tensor that is a module's learnable weight: it requires grad and is found by parameters(). */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    const t = data.contiguous();
    if (t.dtype !== 'float32') throw new DTypeError(`Parameter: parameters must be float32, got ${t.dtype}`);
    super(t.storage, t.shape, t.strides, t.offset);
    this.requiresGrad = requiresGrad;
  }
}
