/**
 * Stopping criteria: after each step, which rows are done. As in transformers, a row is done
 * when any criterion says so; the loop ends when every row is done. Each criterion also says
 * why, for the finish reason the server reports: 'length' (the length limit) or 'stop' (an eos
 * token, a stop string, or a criterion of the caller's).
 */
import type { Tensor } from '../../tensor/index.js';
import { idList } from '../logits/processor.js';

/**
 * Why a sequence ended: 'stop' (an eos token or a stop string), 'length' (maxLength or
 * maxNewTokens reached), 'abort' (the abort signal fired; Kotoba's own).
 */
export type FinishReason = 'stop' | 'length' | 'abort';

export interface StoppingCriterion {
  /** Why a row it stops is finished (default 'stop'). */
  readonly reason?: 'stop' | 'length';
  /** inputIds: int32 [batch, curLen] (the new token included); true for each finished row. */
  isDone(inputIds: Tensor, scores: Tensor | null): boolean[];
}

/** Done once the sequence (prompt or decoder start included) reaches maxLength. */
export class MaxLengthCriteria implements StoppingCriterion {
  readonly reason = 'length' as const;

  constructor(readonly maxLength: number) {}

  isDone(inputIds: Tensor): boolean[] {
    return new Array<boolean>(inputIds.shape[0]).fill(inputIds.shape[1] >= this.maxLength);
  }
}

/** Done when the last token is one of the eos ids. */
export class EosTokenCriteria implements StoppingCriterion {
  readonly reason = 'stop' as const;
  readonly eosTokenIds: number[];

  constructor(eosTokenId: number | readonly number[]) {
    this.eosTokenIds = idList(eosTokenId);
  }

  isDone(inputIds: Tensor): boolean[] {
    const [batch, len] = inputIds.shape;
    const ids = inputIds.contiguousData() as Int32Array;
    return Array.from({ length: batch }, (_, r) => this.eosTokenIds.includes(ids[r * len + len - 1]));
  }
}

/**
 * The rows the criteria stop, and the reason of the first criterion (in order) that stopped
 * each; null for rows still running.
 */
export function applyCriteria(criteria: readonly StoppingCriterion[], inputIds: Tensor, scores: Tensor | null): (FinishReason | null)[] {
  const out: (FinishReason | null)[] = new Array(inputIds.shape[0]).fill(null);
  for (const c of criteria) {
    const done = c.isDone(inputIds, scores);
    for (let r = 0; r < out.length; r++) if (done[r] && out[r] === null) out[r] = c.reason ?? 'stop';
  }
  return out;
}
