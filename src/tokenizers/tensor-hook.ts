import { OptionError } from '../errors.js';

/**
 * The hook through which `returnTensors` will produce tensors. The tokenizers do not import the
 * tensor engine (it sits beside them in the layer diagram); whoever wires the two together calls
 * registerTensorConverter once, e.g. with `(data, shape) => Tensor.fromInt32(data, shape)`.
 */
export type TensorConverter = (data: Int32Array, shape: number[]) => unknown;

const converters = new Map<string, TensorConverter>();

export function registerTensorConverter(kind: string, converter: TensorConverter): void {
  converters.set(kind, converter);
}

/** Turns rows of equal length into a tensor of `kind`; an unregistered kind is an OptionError. */
export function toTensor(kind: string, rows: number[][]): unknown {
  const converter = converters.get(kind);
  if (converter === undefined) {
    const known = [...converters.keys()];
    throw new OptionError(
      `returnTensors: "${kind}" is not available${known.length ? ` (registered: ${known.join(', ')})` : ' (no tensor converter is registered yet)'}`,
    );
  }
  const width = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== width)) throw new OptionError('returnTensors needs rows of equal length: pass padding: true');
  const data = new Int32Array(rows.length * width);
  rows.forEach((r, i) => data.set(r, i * width));
  return converter(data, [rows.length, width]);
}
