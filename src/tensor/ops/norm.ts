/**
 * Normalization over the trailing dims: LayerNorm (Ba et al., 2016; BERT, GPT-2) and RMSNorm
 * (Zhang & Sennrich, 2019; T5's "T5LayerNorm": no mean subtraction, no bias).
 */
import { getBackend } from '../../backend/index.js';
import { ShapeError } from '../../errors.js';
import { record, SavedTensor } from '../autograd.js';
import { fmt, numel } from '../shape.js';
import { allocateUninitialized, Tensor } from '../tensor.js';

function rowsAndCols(x: Tensor, normalizedShape: readonly number[], op: string): { rows: number; cols: number } {
  const tail = x.shape.slice(x.ndim - normalizedShape.length);
  if (normalizedShape.length > x.ndim || tail.some((s, i) => s !== normalizedShape[i])) {
    throw new ShapeError(`${op}: normalized shape ${fmt(normalizedShape)} does not match the end of the input shape ${fmt(x.shape)}`);
  }
  const cols = numel(normalizedShape);
  return { cols, rows: cols === 0 ? 0 : x.numel() / cols };
}

function checkParam(p: Tensor | null | undefined, normalizedShape: readonly number[], op: string, name: string): void {
  if (p && numel(p.shape) !== numel(normalizedShape)) {
    throw new ShapeError(`${op}: ${name} has shape ${fmt(p.shape)}, expected ${fmt(normalizedShape)}`);
  }
}

const data = (t: Tensor | null | undefined) => (t ? (t.contiguousData() as Float32Array) : null);

export function layerNorm(
  x: Tensor, normalizedShape: readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5,
): Tensor {
  const { rows, cols } = rowsAndCols(x, normalizedShape, 'layerNorm');
  checkParam(weight, normalizedShape, 'layerNorm', 'weight');
  checkParam(bias, normalizedShape, 'layerNorm', 'bias');
  const xd = x.contiguousData() as Float32Array;
  const out = allocateUninitialized('float32', xd.length) as Float32Array;
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  const w = data(weight);
  getBackend().layerNorm(xd, w, data(bias), rows, cols, eps, out, mean, rstd);
  const saved = [x, weight].map((t) => (t ? new SavedTensor(t, 'layerNorm') : null));
  return record(Tensor.fromArray(out, x.shape), 'NativeLayerNormBackward', [x, weight, bias], (g) => {
    for (const s of saved) s?.get();
    const gx = allocateUninitialized('float32', xd.length) as Float32Array;
    const gw = weight?.requiresGrad ? new Float32Array(cols) : null;
    const gb = bias?.requiresGrad ? new Float32Array(cols) : null;
    getBackend().layerNormBackward(xd, w, mean, rstd, g.contiguousData() as Float32Array, rows, cols, gx, gw, gb);
    return [
      Tensor.fromArray(gx, x.shape),
      gw && weight ? Tensor.fromArray(gw, weight.shape) : null,
      gb && bias ? Tensor.fromArray(gb, bias.shape) : null,
    ];
  });
}

/** x / sqrt(mean(x^2) + eps) * weight over the trailing dims. */
export function rmsNorm(x: Tensor, normalizedShape: readonly number[], weight?: Tensor | null, eps = 1e-6): Tensor {
  const { rows, cols } = rowsAndCols(x, normalizedShape, 'rmsNorm');
  checkParam(weight, normalizedShape, 'rmsNorm', 'weight');
  const xd = x.contiguousData() as Float32Array;
  const out = allocateUninitialized('float32', xd.length) as Float32Array;
  const rstd = new Float32Array(rows);
  const w = data(weight);
  getBackend().rmsNorm(xd, w, rows, cols, eps, out, rstd);
  const saved = [x, weight].map((t) => (t ? new SavedTensor(t, 'rmsNorm') : null));
  return record(Tensor.fromArray(out, x.shape), 'RmsNormBackward', [x, weight], (g) => {
    for (const s of saved) s?.get();
    const gx = allocateUninitialized('float32', xd.length) as Float32Array;
    const gw = weight?.requiresGrad ? new Float32Array(cols) : null;
    getBackend().rmsNormBackward(xd, w, rstd, g.contiguousData() as Float32Array, rows, cols, gx, gw);
    return [Tensor.fromArray(gx, x.shape), gw && weight ? Tensor.fromArray(gw, weight.shape) : null];
  });
}
