/** The basic layers, initialized as PyTorch initializes them. */
import { OptionError } from '../errors.js';
import { dropout, embedding, gelu, geluNew, layerNorm, linear, noGrad, relu, rmsNorm, silu, tanh, empty, type Generator, type Tensor } from '../tensor/index.js';
import { kaimingUniform_, normal_, ones_, uniform_, zeros_ } from './init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface InitOptions {
  /** The random generator for the initial weights (default: the global one, see manualSeed). */
  generator?: Generator;
}

/** y = x W^T + b, W: [outFeatures, inFeatures]. */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: InitOptions & { bias?: boolean } = {}) {
    super();
    this.weight = new Parameter(empty([outFeatures, inFeatures]));
    kaimingUniform_(this.weight, Math.sqrt(5), options.generator);
    this.bias = null;
    if (options.bias ?? true) {
      this.bias = new Parameter(empty([outFeatures]));
      const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
      uniform_(this.bias, -bound, bound, options.generator);
    }
  }

  /** x W^T + b, then `activation` if given (fused into the product when nothing needs a gradient). */
  override forward(x: Tensor, activation?: (x: Tensor) => Tensor): Tensor {
    return linear(x, this.weight, this.bias, activation);
  }
}

/** A lookup table of vectors, one row per id; the paddingIdx row gets no gradient. */
export class Embedding extends Module {
  weight: Parameter;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, readonly options: InitOptions & { paddingIdx?: number } = {}) {
    super();
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim]));
    normal_(this.weight, 0, 1, options.generator);
    const pad = options.paddingIdx;
    if (pad !== undefined) {
      if (pad < -numEmbeddings || pad >= numEmbeddings) throw new OptionError(`Embedding: paddingIdx ${pad} is outside [${-numEmbeddings}, ${numEmbeddings})`);
      noGrad(() => this.weight.select(0, pad).zero_());
    }
  }

  get paddingIdx(): number {
    const pad = this.options.paddingIdx;
    return pad === undefined ? -1 : pad < 0 ? pad + this.numEmbeddings : pad;
  }

  override forward(ids: Tensor): Tensor {
    return embedding(ids, this.weight, this.paddingIdx);
  }
}

/** Layer normalization over the trailing dims (Ba et al., 2016). */
export class LayerNorm extends Module {
  weight: Parameter | null = null;
  bias: Parameter | null = null;
  readonly normalizedShape: number[];

  constructor(normalizedShape: number | readonly number[], readonly options: { eps?: number; elementwiseAffine?: boolean; bias?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (options.elementwiseAffine ?? true) {
      this.weight = new Parameter(ones_(empty(this.normalizedShape)));
      if (options.bias ?? true) this.bias = new Parameter(zeros_(empty(this.normalizedShape)));
    }
  }

  get eps(): number {
    return this.options.eps ?? 1e-5;
  }

  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}

/** Root-mean-square normalization (T5's layer norm: no mean subtraction, no bias). */
export class RMSNorm extends Module {
  weight: Parameter;

  constructor(readonly dim: number, readonly eps = 1e-6) {
    super();
    this.weight = new Parameter(ones_(empty([dim])));
  }

  override forward(x: Tensor): Tensor {
    return rmsNorm(x, [this.dim], this.weight, this.eps);
  }
}

/** Zeroes elements with probability p in training mode; the identity in eval mode. */
export class Dropout extends Module {
  constructor(readonly p = 0.5, readonly generator?: Generator) {
    super();
    if (!(p >= 0 && p <= 1)) throw new OptionError(`Dropout: p must be in [0, 1], got ${p}`);
  }

  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator);
  }
}

/** Activations as modules, for Sequential. */
export class ReLU extends Module { override forward(x: Tensor): Tensor { return relu(x); } }
export class GELU extends Module {
  /** approximate 'tanh' is GPT-2's gelu_new. */
  constructor(readonly approximate: 'none' | 'tanh' = 'none') { super(); }
  override forward(x: Tensor): Tensor { return this.approximate === 'tanh' ? geluNew(x) : gelu(x); }
}
export class SiLU extends Module { override forward(x: Tensor): Tensor { return silu(x); } }
export class Tanh extends Module { override forward(x: Tensor): Tensor { return tanh(x); } }
