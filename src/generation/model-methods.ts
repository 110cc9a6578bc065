/**
 * model.generate(ids, options) and model.generateStream(ids, options) on every model, as in
 * transformers. models/ sits below generation/ and must not import it, so the methods are added
 * to PreTrainedModel from here (with a type declaration merged into the class).
 */
import { PreTrainedModel } from '../models/modeling-utils.js';
import type { Tensor } from '../tensor/index.js';
import type { GenerationOptions } from './configuration.js';
import { generate } from './generate.js';
import type { GenerateInput } from './ids.js';
import type { GenerativeModel } from './model-io.js';
import type { GenerateOutput } from './output.js';
import { generateStream, type GenerateStreamOptions, type StreamItem } from './stream.js';

type IdsLike = GenerateInput;

declare module '../models/modeling-utils.js' {
  interface PreTrainedModel {
    /** Greedy search, sampling or beam search (see generation/generate.ts). */
    generate(inputIds: IdsLike, options: GenerationOptions & { returnDictInGenerate: true }): GenerateOutput;
    generate(inputIds: IdsLike, options?: GenerationOptions): Tensor;
    /** The generated tokens and text deltas as they come (see generation/stream.ts). */
    generateStream(inputIds: IdsLike, options?: GenerateStreamOptions): AsyncGenerator<StreamItem, void, void>;
  }
}

PreTrainedModel.prototype.generate = function (this: PreTrainedModel, inputIds: IdsLike, options: GenerationOptions = {}) {
  return generate(this as unknown as GenerativeModel, inputIds, options);
} as PreTrainedModel['generate'];

PreTrainedModel.prototype.generateStream = function (this: PreTrainedModel, inputIds: IdsLike, options: GenerateStreamOptions = {}) {
  return generateStream(this as unknown as GenerativeModel, inputIds, options);
};
