/**
 * Weight initializations, in place, as torch.nn.init. Each takes an optional Generator so model
 * construction is reproducible by seed.
 */
import { defaultGenerator, noGrad, Tensor, type Generator } from '../tensor/index.js';

let skipDepth = 0;

/**
 * Runs fn with every init function below a no-op (transformers' no_init_weights): for building a
 * model whose weights are about to be loaded, so they are not drawn at random first.
 */
export function withoutInit<T>(fn: () => T): T {
  skipDepth++;
  try {
    return fn();
  } finally {
    skipDepth--;
  }
}

/** Lets fill() write every element of t, in place (one pass; a temporary only for a strided t). */
function fillWith(t: Tensor, fill: (out: Float32Array) => void): Tensor {
  if (t.isContiguous() && t.dtype === 'float32') {
    fill((t.data as Float32Array).subarray(t.offset, t.offset + t.numel()));
    t.markModified();
    return t;
  }
  const values = new Float32Array(t.numel());
  fill(values);
  return noGrad(() => t.copy_(Tensor.fromArray(values, t.shape)));
}

export function uniform_(t: Tensor, low = 0, high = 1, generator?: Generator): Tensor {
  if (skipDepth > 0) return t;
  const g = generator ?? defaultGenerator;
  return fillWith(t, (out) => {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * g.random();
  });
}

export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  if (skipDepth > 0) return t;
  const g = generator ?? defaultGenerator;
  return fillWith(t, (out) => g.fillNormal(out, mean, std));
}

export function zeros_(t: Tensor): Tensor {
  if (skipDepth > 0) return t;
  return noGrad(() => t.zero_());
}

export function ones_(t: Tensor): Tensor {
  if (skipDepth > 0) return t;
  return noGrad(() => t.fill_(1));
}

/** fan_in and fan_out of a weight [out, in, ...] (torch's _calculate_fan_in_and_fan_out). */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: (t.shape[1] ?? 1) * receptive, fanOut: t.shape[0] * receptive };
}

/**
 * Kaiming-uniform with a = sqrt(5), Linear's default in PyTorch: bound = sqrt(6 / ((1 + a^2) fanIn))
 * = 1 / sqrt(fanIn).
 */
export function kaimingUniform_(t: Tensor, a = Math.sqrt(5), generator?: Generator): Tensor {
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = gain * Math.sqrt(3 / fans(t).fanIn);
  return uniform_(t, -bound, bound, generator);
}

export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, generator);
}
