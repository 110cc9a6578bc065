/**
 * Per-row controls for a batch of generations that share one generateStream call: OpenAI's
 * presence/frequency penalties and logit_bias as a logits processor, and stopping criteria
 * that end one row (its max_tokens reached, a stop sequence seen, its client gone) while the
 * others go on. Rows are the batch's rows, in order.
 */
import type { LogitsProcessor, StoppingCriterion } from '../generation/index.js';
import { Tensor } from '../tensor/index.js';

export interface RowSettings {
  presencePenalty: number;
  frequencyPenalty: number;
  logitBias: Record<number, number>;
}

/**
 * OpenAI's penalties: logit[t] -= count(t) * frequency + (count(t) > 0) * presence, counting
 * only generated tokens (positions from inputLength on), then logit[t] += bias[t].
 */
export class PenaltyProcessor implements LogitsProcessor {
  private readonly active: boolean;

  constructor(private readonly rows: readonly RowSettings[], private readonly inputLength: number) {
    this.active = rows.some((r) => r.presencePenalty !== 0 || r.frequencyPenalty !== 0 || Object.keys(r.logitBias).length > 0);
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    if (!this.active) return scores;
    const data = Float32Array.from(scores.contiguousData() as Float32Array);
    const vocab = scores.shape[scores.ndim - 1];
    const length = inputIds.shape[1];
    const ids = inputIds.contiguousData() as Int32Array;
    this.rows.forEach((s, r) => {
      const base = r * vocab;
      if (s.presencePenalty !== 0 || s.frequencyPenalty !== 0) {
        const counts = new Map<number, number>();
        for (let i = this.inputLength; i < length; i++) {
          const t = ids[r * length + i];
          counts.set(t, (counts.get(t) ?? 0) + 1);
        }
        for (const [t, c] of counts) if (t < vocab) data[base + t] -= c * s.frequencyPenalty + s.presencePenalty;
      }
      for (const [t, b] of Object.entries(s.logitBias)) data[base + Number(t)] += b;
    });
    return Tensor.fromArray(data, scores.shape);
  }
}

/** Ends row r once it has generated maxTokens[r] tokens (finish_reason 'length'). */
export class RowMaxTokens implements StoppingCriterion {
  readonly reason = 'length' as const;

  constructor(private readonly maxTokens: readonly number[], private readonly inputLength: number) {}

  isDone(inputIds: Tensor): boolean[] {
    const generated = inputIds.shape[1] - this.inputLength;
    return this.maxTokens.map((m) => generated >= m);
  }
}

/** Ends the rows the server has closed (a stop sequence was seen or the client left). */
export class RowClosed implements StoppingCriterion {
  readonly reason = 'stop' as const;
  readonly closed: boolean[];

  constructor(rows: number) {
    this.closed = new Array<boolean>(rows).fill(false);
  }

  isDone(): boolean[] {
    return this.closed;
  }
}
