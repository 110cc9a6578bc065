/**
 * The logit lens (nostalgebraist, 2020): read every layer's hidden state through the model's
 * final norm and output embedding, as if the network stopped there. Early layers usually
 * predict the input token itself; later layers drift towards the real next-token prediction.
 * For GPT-2 and T5's decoder, whose hidden-state lists end with the final norm already applied.
 */
import { noGrad, type Tensor } from '../tensor/index.js';
import type { PreTrainedModel } from '../models/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import { logitsRow, round, softmax, topK } from './numeric.js';
import type { LogitLens, TokenProbability } from './types.js';

interface Forwardable {
  forward(x: Tensor): Tensor;
}

/** The final norm, the output projection, and T5's d_model^-0.5 rescale of tied embeddings. */
function outputPath(model: PreTrainedModel): { norm: Forwardable; head: Forwardable; scale: number } {
  const m = model as unknown as Record<string, Record<string, Forwardable> & Forwardable>;
  if (model.config.modelType === 't5') {
    const config = model.config as unknown as { tieWordEmbeddings: boolean; dModel: number };
    return { norm: m['decoder']['final_layer_norm'], head: m['lm_head'], scale: config.tieWordEmbeddings ? config.dModel ** -0.5 : 1 };
  }
  return { norm: m['transformer']['ln_f'], head: m['lm_head'], scale: 1 };
}

/** Top-k probabilities of one logits row, with the tokens' pieces and decoded text. */
export function topTokens(tokenizer: PreTrainedTokenizer, logits: ArrayLike<number>, k: number, temperature = 1): TokenProbability[] {
  const probs = softmax(logits, temperature);
  return topK(probs, k).map((id) => ({
    id,
    token: tokenizer.convertIdsToTokens(id) ?? `<${id}>`,
    text: tokenizer.decode([id]),
    prob: round(probs[id]),
  }));
}

export function logitLens(model: PreTrainedModel, tokenizer: PreTrainedTokenizer, hiddenStates: Tensor[], k: number): LogitLens {
  const { norm, head, scale } = outputPath(model);
  const last = hiddenStates.length - 1;
  const top = noGrad(() =>
    hiddenStates.map((h, layer) => {
      const normed = layer === last ? h : norm.forward(h);
      const logits = head.forward(scale === 1 ? normed : normed.mul(scale));
      return Array.from({ length: h.shape[1] }, (_, pos) => topTokens(tokenizer, logitsRow(logits, pos), k));
    }),
  );
  return { stack: model.config.modelType === 't5' ? 'decoder' : 'model', tokens: model.config.modelType === 't5' ? 'output' : 'input', top };
}
