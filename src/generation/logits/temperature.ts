/**
 * TemperatureLogitsWarper: scores / temperature. Below 1 it sharpens the distribution, above 1
 * it flattens it (transformers applies it first among the sampling warpers).
 */
import { OptionError } from '../../errors.js';
import type { Tensor } from '../../tensor/index.js';
import type { LogitsProcessor } from './processor.js';

export class TemperatureLogitsWarper implements LogitsProcessor {
  constructor(readonly temperature: number) {
    if (!(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))) {
      throw new OptionError(`temperature must be a finite number > 0, got ${temperature}`);
    }
  }

  process(_inputIds: Tensor, scores: Tensor): Tensor {
    return scores.div(this.temperature);
  }
}
