/** softmax and logSoftmax along any dim; the kernels work on the last dim of contiguous rows. */
import { getBackend } from '../../backend/index.js';
import { record, SavedTensor } from '../autograd.js';
import { normalizeDim } from '../shape.js';
import { allocateUninitialized, Tensor } from '../tensor.js';

function softmaxAlong(x: Tensor, dim: number, log: boolean): Tensor {
  const d = normalizeDim(dim, x.ndim, log ? 'logSoftmax' : 'softmax');
  const last = Math.max(x.ndim - 1, 0);
  // bring dim last (a view), make rows contiguous, run the kernel, move dim back (a view)
  const moved = d === last ? x : x.transpose(d, last);
  const input = (moved.dtype === 'float32' ? moved : moved.float()).contiguousData() as Float32Array;
  const cols = x.ndim === 0 ? 1 : x.shape[d];
  const rows = cols === 0 ? 0 : input.length / cols;
  const y = allocateUninitialized('float32', input.length) as Float32Array;
  getBackend().softmax(input, rows, cols, y, log);
  const yMoved = Tensor.fromArray(y, moved.shape);
  const saved = new SavedTensor(yMoved, log ? 'logSoftmax' : 'softmax');
  const out = record(yMoved, log ? 'LogSoftmaxBackward' : 'SoftmaxBackward', [moved], (g) => {
    saved.get();
    const gx = allocateUninitialized('float32', y.length) as Float32Array;
    getBackend().softmaxBackward(y, g.contiguousData() as Float32Array, rows, cols, gx, log);
    return [Tensor.fromArray(gx, moved.shape)];
  });
  return d === last ? out : out.transpose(d, last);
}

export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxAlong(x, dim, false);
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  return softmaxAlong(x, dim, true);
}
