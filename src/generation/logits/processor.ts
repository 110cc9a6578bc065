/**
 * Logits processors: the pieces that change the next-token scores before a token is picked,
 * as transformers' LogitsProcessor / LogitsWarper classes do. Each one is called with the ids so
 * far (int32 [batch, curLen]) and the scores of the next token (float32 [batch, vocab]) and
 * returns the new scores. A plain function with the same signature works too, so users can add
 * their own (the `logitsProcessor` option of generate()).
 */
import { Tensor } from '../../tensor/index.js';

export interface LogitsProcessor {
  process(inputIds: Tensor, scores: Tensor): Tensor;
}

export type LogitsProcessorFn = (inputIds: Tensor, scores: Tensor) => Tensor;
export type LogitsProcessorLike = LogitsProcessor | LogitsProcessorFn;

/** Processors applied one after the other, in order (transformers' LogitsProcessorList). */
export class LogitsProcessorList implements LogitsProcessor {
  readonly items: LogitsProcessorLike[];

  constructor(items: readonly LogitsProcessorLike[] = []) {
    this.items = [...items];
  }

  get length(): number {
    return this.items.length;
  }

  push(...items: LogitsProcessorLike[]): this {
    this.items.push(...items);
    return this;
  }

  process(inputIds: Tensor, scores: Tensor): Tensor {
    let out = scores;
    for (const p of this.items) out = typeof p === 'function' ? p(inputIds, out) : p.process(inputIds, out);
    return out;
  }
}

/**
 * A writable float32 copy of scores [batch, vocab] and a way back to a tensor: the processors
 * that edit entries one by one use it (the input tensor is never modified).
 */
export function editableScores(scores: Tensor): { data: Float32Array; rows: number; vocab: number; done(): Tensor } {
  const data = Float32Array.from(scores.contiguousData() as Float32Array);
  const vocab = scores.shape[scores.ndim - 1];
  const rows = vocab === 0 ? 0 : data.length / vocab;
  return { data, rows, vocab, done: () => Tensor.fromArray(data, scores.shape) };
}

/** The ids of row r of int32 [batch, curLen] as a plain array. */
export function rowIds(inputIds: Tensor, r: number): Int32Array {
  const len = inputIds.shape[1];
  const all = inputIds.contiguousData() as Int32Array;
  return all.subarray(r * len, (r + 1) * len);
}

/** eosTokenId in its accepted forms (one id or several) as a list. */
export function idList(ids: number | readonly number[] | null | undefined): number[] {
  if (ids === null || ids === undefined) return [];
  return typeof ids === 'number' ? [ids] : [...ids];
}
