/**
 * text-generation: a decoder-only model (GPT-2) continues a prompt, as transformers'
 * TextGenerationPipeline does.
 *
 * - Every generate() option (maxNewTokens, doSample, temperature, topK, topP, numBeams,
 *   numReturnSequences, seed, stopStrings, ...) is passed through to model.generate.
 * - Without maxNewTokens or maxLength (here or in the folder's generation_config.json), up to 256
 *   new tokens are generated (transformers' pipeline default), fewer when the context is shorter.
 * - Each generated sequence is decoded (special tokens skipped, tokenization spaces cleaned up as
 *   transformers' default clean_up_tokenization_spaces=True does); the decoded prompt's length is
 *   cut off its front, and with returnFullText (default true) the prompt as given is put back.
 * - One prompt -> [{ generated_text }, ...] (numReturnSequences items); a list -> one such list
 *   per prompt. returnTensors gives { generated_token_ids } (the full sequence) instead.
 */
import { OptionError } from '../errors.js';
import { generationFieldsFromJson, type GenerationOptions } from '../generation/index.js';
import type { PreTrainedModel } from '../models/index.js';
import { checkTexts, contextLength, Pipeline } from './base.js';

/** transformers' pipelines generate up to 256 new tokens unless told otherwise. */
export const DEFAULT_MAX_NEW_TOKENS = 256;

export interface TextGenerationOptions extends Omit<GenerationOptions, 'returnDictInGenerate' | 'tokenizer' | 'attentionMask' | 'decoderInputIds' | 'pastKeyValues'> {
  /** Prompt + continuation (true, the default) or the continuation only. */
  returnFullText?: boolean;
  /** { generated_token_ids } instead of text. */
  returnTensors?: boolean;
  /** transformers' clean_up_tokenization_spaces when decoding (default true here). */
  cleanUpTokenizationSpaces?: boolean;
}

export interface GeneratedText {
  generated_text: string;
}

export interface GeneratedTokens {
  generated_token_ids: number[];
}

export interface TextGenerationPipeline {
  (inputs: string, options?: TextGenerationOptions): Promise<GeneratedText[]>;
  (inputs: string[], options?: TextGenerationOptions): Promise<GeneratedText[][]>;
}

/** The options of one generate() call: the pipeline's own options removed, the default length added. */
export function generateOptions(model: PreTrainedModel, options: object, own: readonly string[], promptLength: number, context: number | null): GenerationOptions {
  const gen = Object.fromEntries(Object.entries(options).filter(([k, v]) => !own.includes(k) && v !== undefined)) as GenerationOptions;
  const folder = model.generationConfig ? generationFieldsFromJson(model.generationConfig) : {};
  const lengthGiven = [gen.maxNewTokens, gen.maxLength, folder.maxNewTokens, folder.maxLength].some((v) => v !== undefined && v !== null);
  if (!lengthGiven) {
    const room = context === null ? DEFAULT_MAX_NEW_TOKENS : Math.max(1, context - promptLength);
    gen.maxNewTokens = Math.min(DEFAULT_MAX_NEW_TOKENS, room);
  }
  return gen;
}

const OWN = ['returnFullText', 'returnTensors', 'cleanUpTokenizationSpaces', 'onWarning'];

export class TextGenerationPipeline extends Pipeline<TextGenerationOptions> {
  async run(inputs: string | string[], options?: TextGenerationOptions): Promise<(GeneratedText | GeneratedTokens)[] | (GeneratedText | GeneratedTokens)[][]> {
    const opts = this.merged(options);
    const { texts, batched } = checkTexts(this.task, inputs);
    const results = texts.map((text) => this.generateOne(text, opts));
    return batched ? results : results[0];
  }

  private generateOne(prompt: string, opts: TextGenerationOptions): (GeneratedText | GeneratedTokens)[] {
    let ids = this.tokenizer.encode(prompt);
    if (ids.length === 0) {
      // transformers generates from the BOS token when there is no prompt
      const bos = this.model.config.bosTokenId ?? this.tokenizer.bosTokenId;
      if (bos === null) throw new OptionError(`${this.task}: the prompt is empty and the model has no BOS token to start from; give a prompt`);
      ids = [bos];
    }
    const gen = generateOptions(this.model, opts, OWN, ids.length, contextLength(this.model, this.tokenizer));
    const sequences = this.model.generate([ids], { ...gen, tokenizer: this.tokenizer }).toArray() as number[][];
    if (opts.returnTensors) return sequences.map((s) => ({ generated_token_ids: s }));
    const decode = { skipSpecialTokens: true, cleanUpTokenizationSpaces: opts.cleanUpTokenizationSpaces ?? true };
    const promptLength = this.tokenizer.decode(ids, decode).length;
    return sequences.map((sequence) => {
      const continuation = this.tokenizer.decode(sequence, decode).slice(promptLength);
      return { generated_text: (opts.returnFullText ?? true) ? prompt + continuation : continuation };
    });
  }
}
