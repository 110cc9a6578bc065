/**
 * Padding to the longest example of the batch, as transformers' DataCollatorWithPadding,
 * DataCollatorForTokenClassification and DataCollatorForSeq2Seq: ids are padded with the pad
 * token, attention masks and token types with 0, and per-token labels with -100 so the loss
 * ignores them. Sequence-level labels and QA start/end positions become [batch] tensors.
 */
import { OptionError } from '../../errors.js';
import { Tensor, type Generator } from '../../tensor/index.js';
import type { Example } from '../data/example.js';
import type { Batch, Collator } from './types.js';

export const IGNORE_INDEX = -100;

/** Rows padded on the right to the longest (rounded up to a multiple) as an int32 [batch, length] tensor. */
export function padRows(rows: readonly (readonly number[])[], value: number, padToMultipleOf = 1): Tensor {
  let width = Math.max(0, ...rows.map((r) => r.length));
  if (padToMultipleOf > 1) width = Math.ceil(width / padToMultipleOf) * padToMultipleOf;
  const data = new Int32Array(rows.length * width).fill(value);
  rows.forEach((r, i) => data.set(r, i * width));
  return Tensor.fromArray(data, [rows.length, width]);
}

/** A [batch] int32 tensor of per-example numbers. */
export function column(values: readonly number[]): Tensor {
  return Tensor.fromArray(Int32Array.from(values), [values.length]);
}

export interface PaddingCollatorOptions {
  padTokenId: number;
  padToMultipleOf?: number;
}

export class PaddingCollator implements Collator {
  constructor(readonly options: PaddingCollatorOptions) {}

  collate(examples: readonly Example[], _generator?: Generator): Batch {
    if (examples.length === 0) throw new OptionError('collate: an empty batch');
    const m = this.options.padToMultipleOf ?? 1;
    const batch: Batch = { inputIds: padRows(examples.map((e) => e.inputIds), this.options.padTokenId, m) };
    batch.attentionMask = padRows(examples.map((e) => e.attentionMask ?? e.inputIds.map(() => 1)), 0, m);
    if (examples[0].tokenTypeIds) batch.tokenTypeIds = padRows(examples.map((e) => e.tokenTypeIds ?? []), 0, m);
    const labels = examples.map((e) => e.labels);
    if (labels.every((l) => typeof l === 'number')) batch.labels = column(labels as number[]);
    else if (labels.every(Array.isArray)) batch.labels = padRows(labels as number[][], IGNORE_INDEX, m);
    if (examples[0].startPositions !== undefined) {
      batch.startPositions = column(examples.map((e) => e.startPositions ?? 0));
      batch.endPositions = column(examples.map((e) => e.endPositions ?? 0));
    }
    return batch;
  }
}
