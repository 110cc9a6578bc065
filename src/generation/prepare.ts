/**
 * Everything generate() settles before the first step: the config for this call (resolved,
 * checked, maxLength made final), the rows to decode (each prompt repeated numBeams or
 * numReturnSequences times, as transformers' _expand_inputs_for_generation does), the encoder
 * output for encoder-decoder models, the logits processors and the stopping criteria.
 */
import { OptionError } from '../errors.js';
import { Generator, noGrad, Tensor } from '../tensor/index.js';
import { asIds, maskRows, splitInput, type GenerateInput } from './ids.js';
import { eosIds, resolveGenerationConfig, type GenerationConfig, type GenerationOptions } from './configuration.js';
import { buildLogitsProcessors } from './logits/build.js';
import type { LogitsProcessorList } from './logits/processor.js';
import { contextLength, runEncoder, type GenerativeModel } from './model-io.js';
import { EosTokenCriteria, MaxLengthCriteria, type StoppingCriterion } from './stopping/criteria.js';
import { StopStringCriteria } from './stopping/stop-strings.js';
import { validateGenerationConfig, validateLengths } from './validate.js';

export interface PreparedGeneration {
  model: GenerativeModel;
  config: GenerationConfig;
  isEncoderDecoder: boolean;
  /** Number of prompts (before expansion). */
  batchSize: number;
  /** Rows per prompt: numBeams for beam search, numReturnSequences otherwise. */
  expand: number;
  /** The decoder's starting ids per expanded row: the prompt, or [decoderStartTokenId]. */
  rows: number[][];
  /** Decoder-only: the padding mask per expanded row (grows by one 1 per step). */
  masks: number[][];
  /** Length of the decoder's starting ids (the same for every row). */
  inputLength: number;
  /** Encoder-decoder: encoder output and mask, expanded. */
  encoderHiddenStates: Tensor | null;
  encoderMask: Tensor | null;
  processors: LogitsProcessorList;
  criteria: StoppingCriterion[];
  generator: Generator | null;
  vocabSize: number | null;
}

/** Index i of the expanded batch is prompt floor(i / n) (torch.repeat_interleave). */
function repeatIndex(batch: number, n: number): Tensor {
  return Tensor.fromArray(Int32Array.from({ length: batch * n }, (_, i) => Math.floor(i / n)), [batch * n]);
}

export function prepareGeneration(model: GenerativeModel, input: GenerateInput, options: GenerationOptions): PreparedGeneration {
  const isEncoderDecoder = Boolean(model.config.isEncoderDecoder);
  const modelType = (model.config as { modelType?: string }).modelType;
  if (modelType === 'bert') throw new OptionError(`generate: ${model.constructor.name} is an encoder-only model and cannot generate; use a GPT-2 or T5 model`);
  const prompt = splitInput(input);
  const inputIds = asIds(prompt.ids, 'inputIds');
  const [batchSize, promptLength] = inputIds.shape;
  if (batchSize === 0) throw new OptionError('generate: inputIds has no rows');
  if (promptLength === 0 && !isEncoderDecoder) throw new OptionError('generate: inputIds is empty; give at least one token (e.g. the bos token)');
  const givenMask = options.attentionMask ?? prompt.mask;
  const mask = givenMask != null ? asIds(givenMask, 'attentionMask') : null;
  if (mask && (mask.shape[0] !== batchSize || mask.shape[1] !== promptLength)) {
    throw new OptionError(`generate: attentionMask has shape [${mask.shape.join(', ')}], but inputIds is [${batchSize}, ${promptLength}]`);
  }
  const config = resolveGenerationConfig(model.config, model.generationConfig, options);
  const vocabSize = model.config.vocabSize ?? null;
  validateGenerationConfig(config, vocabSize);

  // the decoder's starting ids
  let decoderStart: number[][];
  if (isEncoderDecoder) {
    if (options.decoderInputIds) {
      decoderStart = maskRows(asIds(options.decoderInputIds, 'decoderInputIds'));
      if (decoderStart.length !== batchSize) throw new OptionError(`generate: decoderInputIds has ${decoderStart.length} rows, inputIds ${batchSize}`);
    } else {
      if (config.decoderStartTokenId === null) throw new OptionError('generate: decoderStartTokenId is not set (neither in the options, generation_config.json nor config.json)');
      decoderStart = Array.from({ length: batchSize }, () => [config.decoderStartTokenId as number]);
    }
  } else {
    decoderStart = maskRows(inputIds);
  }
  const inputLength = decoderStart[0].length;
  if (config.maxNewTokens !== null) config.maxLength = config.maxNewTokens + inputLength;
  validateLengths(config, promptLength, contextLength(model), isEncoderDecoder);

  const expand = config.numBeams > 1 ? config.numBeams : config.numReturnSequences;
  const rows: number[][] = [];
  const masks: number[][] = [];
  const promptMask = mask ? maskRows(mask) : null;
  for (let b = 0; b < batchSize; b++) {
    for (let k = 0; k < expand; k++) {
      rows.push([...decoderStart[b]]);
      if (!isEncoderDecoder) masks.push(promptMask ? [...promptMask[b]] : new Array<number>(promptLength).fill(1));
    }
  }

  let encoderHiddenStates: Tensor | null = null;
  let encoderMask: Tensor | null = null;
  if (isEncoderDecoder) {
    const m = mask ?? Tensor.fromArray(new Int32Array(batchSize * promptLength).fill(1), [batchSize, promptLength]);
    const hidden = noGrad(() => runEncoder(model, inputIds, m));
    const index = repeatIndex(batchSize, expand);
    encoderHiddenStates = expand > 1 ? hidden.indexSelect(0, index) : hidden;
    encoderMask = expand > 1 ? m.indexSelect(0, index) : m;
  }

  const criteria: StoppingCriterion[] = [new MaxLengthCriteria(config.maxLength)];
  const eos = eosIds(config);
  if (eos.length > 0) criteria.push(new EosTokenCriteria(eos));
  if (config.stopStrings !== null && config.tokenizer) criteria.push(new StopStringCriteria(config.tokenizer, config.stopStrings));
  criteria.push(...(config.stoppingCriteria ?? []));

  const generator = config.generator ?? (config.seed !== null ? new Generator(config.seed) : null);
  return {
    model, config, isEncoderDecoder, batchSize, expand, rows, masks, inputLength,
    encoderHiddenStates, encoderMask,
    processors: buildLogitsProcessors(config, inputLength),
    criteria, generator, vocabSize,
  };
}
