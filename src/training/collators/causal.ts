/**
 * Causal language modeling, as DataCollatorForLanguageModeling(mlm=False): the labels are the
 * inputs themselves (the model shifts them by one inside its loss) with padding set to -100.
 * transformers finds padding by comparing with pad_token_id; here the attention mask is used, so a
 * GPT-2 whose pad token is its end-of-text token still learns to predict real end-of-text tokens.
 */
import { Tensor, type Generator } from '../../tensor/index.js';
import type { Example } from '../data/example.js';
import { IGNORE_INDEX, padRows } from './padding.js';
import type { Batch, Collator } from './types.js';

export class CausalLMCollator implements Collator {
  constructor(readonly options: { padTokenId: number; padToMultipleOf?: number }) {}

  collate(examples: readonly Example[], _generator?: Generator): Batch {
    const m = this.options.padToMultipleOf ?? 1;
    const inputIds = padRows(examples.map((e) => e.inputIds), this.options.padTokenId, m);
    const attentionMask = padRows(examples.map((e) => e.attentionMask ?? e.inputIds.map(() => 1)), 0, m);
    const ids = inputIds.contiguousData();
    const mask = attentionMask.contiguousData();
    const labels = Int32Array.from(ids, (id, i) => (mask[i] ? id : IGNORE_INDEX));
    return { inputIds, attentionMask, labels: Tensor.fromArray(labels, inputIds.shape) };
  }
}
