/** Small conversions between id tensors and plain rows. */
import { OptionError } from '../errors.js';
import { Tensor } from '../tensor/index.js';

export type IdsLike = Tensor | readonly number[] | readonly (readonly number[])[];

/** What generate() takes as its prompt: ids, or a tokenizer's output { inputIds, attentionMask }. */
export type GenerateInput = IdsLike | { readonly inputIds: IdsLike; readonly attentionMask?: IdsLike | null };

/** The ids and the mask of a prompt given either way. */
export function splitInput(input: GenerateInput): { ids: IdsLike; mask: IdsLike | null } {
  if (input instanceof Tensor || Array.isArray(input)) return { ids: input as IdsLike, mask: null };
  const enc = input as { inputIds: IdsLike; attentionMask?: IdsLike | null };
  return { ids: enc.inputIds, mask: enc.attentionMask ?? null };
}

/** Ids or a mask as int32 [batch, length]; nested arrays and 1-D input (batch 1) are accepted. */
export function asIds(ids: IdsLike, what: string): Tensor {
  let t: Tensor;
  if (ids instanceof Tensor) t = ids;
  else {
    const rows = (Array.isArray(ids[0]) ? ids : [ids]) as readonly (readonly number[])[];
    const width = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== width)) throw new OptionError(`generate: ${what} rows have different lengths; left-pad them and pass an attentionMask`);
    t = Tensor.fromArray(Int32Array.from(rows.flat()), [rows.length, width]);
  }
  if (t.ndim === 1) t = t.unsqueeze(0);
  if (t.ndim !== 2) throw new OptionError(`generate: ${what} must have shape [batch, length], got [${t.shape.join(', ')}]`);
  if (t.dtype !== 'int32') {
    const data = t.contiguousData();
    for (let i = 0; i < data.length; i++) {
      if (!Number.isInteger(data[i])) throw new OptionError(`generate: ${what} must hold integer ids, found ${data[i]}`);
    }
    t = t.int();
  }
  return t;
}

/** int32 [batch, length] as plain rows. */
export function maskRows(t: Tensor): number[][] {
  const [batch, length] = t.shape;
  const data = t.contiguousData();
  return Array.from({ length: batch }, (_, r) => Array.from(data.subarray(r * length, (r + 1) * length)));
}

/** Plain rows of equal length as int32 [rows, length]. */
export function rowsToTensor(rows: readonly (readonly number[])[]): Tensor {
  const width = rows[0]?.length ?? 0;
  const data = new Int32Array(rows.length * width);
  rows.forEach((r, i) => data.set(r, i * width));
  return Tensor.fromArray(data, [rows.length, width]);
}
