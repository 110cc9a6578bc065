import { OptionError } from '../errors.js';
import { Tensor } from '../tensor/index.js';

/** The `returnTensors` values that give Kotoba int32 Tensors ('pt' is accepted from transformers habit). */
export const TENSOR_KINDS: readonly string[] = ['kotoba', 'pt'];

/** Turns rows of equal length into an int32 Tensor [rows, width]. */
export function toTensor(kind: string, rows: number[][]): Tensor {
  if (!TENSOR_KINDS.includes(kind)) {
    throw new OptionError(`returnTensors: "${kind}" is not available; use 'kotoba' (or 'pt') for Kotoba tensors, or leave it out for plain arrays`);
  }
  const width = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== width)) throw new OptionError('returnTensors needs rows of equal length: pass padding: true');
  const data = new Int32Array(rows.length * width);
  rows.forEach((r, i) => data.set(r, i * width));
  return Tensor.fromArray(data, [rows.length, width]);
}
