/** What the model's head says about the input: next token, masked tokens, labels, or T5's output. */
import type { PreTrainedModel } from '../models/index.js';
import type { Tensor } from '../tensor/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import { topTokens } from './lens.js';
import { logitsRow, round, softmax } from './numeric.js';
import type { ModelTask, Predictions, TokenInfo } from './types.js';

export interface PredictionInputs {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  task: ModelTask;
  logits: Tensor | null;
  tokens: TokenInfo[];
  outputTokens?: TokenInfo[];
  temperature: number;
  k: number;
}

export function predictions(p: PredictionInputs): Predictions {
  if (p.logits === null || p.task === 'base') {
    return { kind: 'none', reason: `${p.model.constructor.name} has no prediction head; load a model with one (e.g. BertForMaskedLM, GPT2LMHeadModel)` };
  }
  const logits = p.logits;
  switch (p.task) {
    case 'causal-lm':
      return { kind: 'next-token', temperature: p.temperature, top: topTokens(p.tokenizer, logitsRow(logits, p.tokens.length - 1), p.k, p.temperature) };
    case 'fill-mask': {
      const maskId = p.tokenizer.maskTokenId;
      const masks = p.tokens
        .map((t, position) => ({ t, position }))
        .filter(({ t }) => maskId !== null && t.id === maskId)
        .map(({ position }) => ({ position, candidates: topTokens(p.tokenizer, logitsRow(logits, position), p.k) }));
      return { kind: 'fill-mask', masks };
    }
    case 'classification': {
      const id2label = p.model.config.id2label;
      const probs = softmax(logits.contiguousData() as Float32Array);
      return { kind: 'classification', labels: Array.from(probs, (prob, i) => ({ label: id2label[i] ?? `LABEL_${i}`, prob: round(prob) })) };
    }
    case 'seq2seq': {
      const out = p.outputTokens ?? [];
      const outputText = p.tokenizer.decode(out.map((t) => t.id), { skipSpecialTokens: true });
      return { kind: 'seq2seq', outputText, temperature: p.temperature, next: topTokens(p.tokenizer, logitsRow(logits, out.length - 1), p.k, p.temperature) };
    }
  }
}
