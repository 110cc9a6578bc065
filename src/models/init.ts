/**
 * transformers' _init_weights for BERT and GPT-2, one module at a time: Linear/Conv1D/Embedding
 * weights from N(0, initializer_range), biases zero, LayerNorm weight 1 and bias 0, an
 * Embedding's padding row zero. Newly added heads (a classifier on a pretrained encoder) start so.
 */
import { Conv1D, Embedding, LayerNorm, Linear, type Module, init } from '../nn/index.js';
import { noGrad, type Generator } from '../tensor/index.js';

export function initNormalModule(m: Module, std: number, generator?: Generator): void {
  if (m instanceof Linear || m instanceof Conv1D) {
    init.normal_(m.weight, 0, std, generator);
    if (m.bias) init.zeros_(m.bias);
  } else if (m instanceof Embedding) {
    init.normal_(m.weight, 0, std, generator);
    if (m.paddingIdx >= 0) noGrad(() => m.weight.select(0, m.paddingIdx).zero_());
  } else if (m instanceof LayerNorm) {
    if (m.weight) init.ones_(m.weight);
    if (m.bias) init.zeros_(m.bias);
  }
}
