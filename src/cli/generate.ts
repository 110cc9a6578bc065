/**
 * `kotoba generate <model> "prompt"`: text from a GPT-2 model (the prompt and its continuation)
 * or a T5 model (the output text), by greedy search, sampling or beam search; `--stream` prints
 * the text as the tokens are generated.
 *
 * Sampling follows transformers' GenerationConfig: greedy unless sampling is asked for. Asking is
 * --do-sample, or giving --temperature (above 0), --top-p or --top-k; --greedy (or --temperature 0)
 * always means greedy. With none of these, the model folder's generation_config.json decides
 * (greedy when it has none). --seed alone does not turn sampling on.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { KotobaError, OptionError } from '../errors.js';
import { readConfig, resolveModelPath } from '../hub/index.js';
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, modelTypeOf } from '../models/auto.js';
import type { PreTrainedModel } from '../models/modeling-utils.js';
import { resolveModelName, SHIPPED_MODELS, shippedModelsDir } from '../models/shipped.js';
import { AutoTokenizer, type PreTrainedTokenizer } from '../tokenizers/index.js';
import type { GenerationOptions } from '../generation/index.js';
import '../generation/index.js'; // model.generate / model.generateStream
import { contextLength, type GenerativeModel } from '../generation/model-io.js';

export interface GenerateFlags {
  maxTokens: number;
  /** --max-tokens was not given: the default is cut to what the model's context leaves. */
  maxTokensIsDefault?: boolean;
  temperature?: number;
  topP?: number;
  topK?: number;
  numBeams?: number;
  doSample?: boolean;
  greedy?: boolean;
  repetitionPenalty?: number;
  seed?: number;
  stream?: boolean;
}

/** A commander parser for a number in a range (the message names the flag). */
function numberIn(flag: string, ok: (n: number) => boolean, range: string, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || !ok(n)) {
      throw new InvalidArgumentError(`${flag} must be ${integer ? 'an integer' : 'a number'} ${range}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

/** The model folder for a model argument: a shipped model's name, a folder, or a Hub id. */
export async function modelFolder(model: string, command: string, options: { weights?: boolean } = {}): Promise<string> {
  const location = resolveModelName(model);
  if (location === model && model in SHIPPED_MODELS && !model.includes('/')) {
    // a shipped model's name whose folder is missing: say so instead of asking the Hub for it
    throw new KotobaError(`${command}: the shipped model ${model} is not in ${shippedModelsDir()} (train it with scripts/train-default-models.sh, or set $KOTOBA_MODELS_DIR)`);
  }
  return resolveModelPath(location, { weights: options.weights });
}

export interface LoadedGenerator {
  folder: string;
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  isEncoderDecoder: boolean;
}

/** Loads a GPT-2 (causal LM) or T5 (seq2seq LM) model and its tokenizer. */
export async function loadGenerator(model: string, onWarning: (m: string) => void = (m) => console.error(m)): Promise<LoadedGenerator> {
  const folder = await modelFolder(model, 'generate');
  const type = modelTypeOf(readConfig(folder), `${folder}/config.json`);
  if (type !== 'gpt2' && type !== 't5') {
    throw new OptionError(`generate: ${model} is a ${type.toUpperCase()} model, which cannot generate text; use a GPT-2 (decoder) or T5 (encoder-decoder) model`);
  }
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const loaded = type === 'gpt2'
    ? await AutoModelForCausalLM.fromPretrained(folder, { onWarning })
    : await AutoModelForSeq2SeqLM.fromPretrained(folder, { onWarning });
  return { folder, model: loaded as PreTrainedModel, tokenizer, isEncoderDecoder: type === 't5' };
}

/** The generation options the flags stand for. */
export function generationOptions(flags: GenerateFlags): GenerationOptions {
  let doSample: boolean | undefined;
  if (flags.greedy || flags.temperature === 0) doSample = false;
  else if (flags.doSample || flags.temperature !== undefined || flags.topP !== undefined || flags.topK !== undefined) doSample = true;
  const options: GenerationOptions = { maxNewTokens: flags.maxTokens };
  if (doSample !== undefined) options.doSample = doSample;
  if (doSample !== false) {
    if (flags.temperature !== undefined) options.temperature = flags.temperature;
    if (flags.topP !== undefined) options.topP = flags.topP;
    if (flags.topK !== undefined) options.topK = flags.topK;
  }
  if (flags.numBeams !== undefined) options.numBeams = flags.numBeams;
  if (flags.repetitionPenalty !== undefined) options.repetitionPenalty = flags.repetitionPenalty;
  if (flags.seed !== undefined) options.seed = flags.seed;
  return options;
}

/** The prompt's ids; an empty prompt to a decoder-only model starts from its bos (else eos) token. */
function promptIds(loaded: LoadedGenerator, prompt: string): number[] {
  const ids = loaded.tokenizer.encode(prompt);
  if (ids.length > 0 || loaded.isEncoderDecoder) return ids;
  const start = loaded.tokenizer.bosTokenId ?? loaded.tokenizer.eosTokenId;
  if (start === null) throw new OptionError('generate: the prompt is empty and the tokenizer has no bos or eos token to start from');
  return [start];
}

/**
 * Generates and writes the text: for GPT-2 the prompt followed by the continuation, for T5 the
 * output; with `stream` piece by piece as the tokens come. Returns the whole text written.
 */
export async function runGenerate(model: string, prompt: string, flags: GenerateFlags, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<string> {
  const options = generationOptions(flags);
  if (flags.stream && (flags.numBeams ?? 1) > 1) throw new OptionError('generate: --stream works with one beam (beam search knows its result only at the end); drop --num-beams or --stream');
  const loaded = await loadGenerator(model);
  const ids = promptIds(loaded, prompt);
  const context = contextLength(loaded.model as unknown as GenerativeModel);
  if (context !== null && ids.length < context && ids.length + flags.maxTokens > context) {
    // GPT-2's positions end at its context: a default is cut to fit, a given number is an error
    if (!flags.maxTokensIsDefault) {
      throw new OptionError(`generate: --max-tokens ${flags.maxTokens} runs past the model's context of ${context} positions after the ${ids.length}-token prompt; give --max-tokens ${context - ids.length} or less, or a shorter prompt`);
    }
    options.maxNewTokens = context - ids.length;
  }
  const decode = (tokens: ArrayLike<number>) => loaded.tokenizer.decode(tokens, { skipSpecialTokens: true });
  let text = '';
  const emit = (s: string) => {
    if (s === '') return;
    text += s;
    write(s);
  };
  if (flags.stream) {
    if (!loaded.isEncoderDecoder) emit(decode(ids));
    for await (const item of loaded.model.generateStream([ids], { ...options, tokenizer: loaded.tokenizer })) emit(item.text);
  } else {
    const sequences = loaded.model.generate([ids], options);
    emit(decode(sequences.toArray()[0] as number[]));
  }
  write('\n');
  return text;
}

/** Adds the `generate` command to the kotoba program. */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('generate text with a GPT-2 model (prints the prompt and its continuation) or a T5 model (prints the output)')
    .argument('<model>', `a shipped model (${Object.keys(SHIPPED_MODELS).filter((m) => /gpt|t5/.test(m)).join(', ')}), a model folder or a Hub id`)
    .argument('<prompt>', 'the prompt (GPT-2) or input text (T5, e.g. "translate English to German: ...")')
    .option('--max-tokens <n>', 'the most tokens to generate (the default is cut to what the model\'s context leaves after the prompt)', numberIn('--max-tokens', (n) => n >= 1, '>= 1', true), 50)
    .option('--temperature <x>', 'sampling temperature, >= 0; giving it turns sampling on (0 means greedy)', numberIn('--temperature', (n) => n >= 0, '>= 0'))
    .option('--top-p <x>', 'nucleus sampling: keep the most likely tokens up to this probability, in (0, 1]; turns sampling on', numberIn('--top-p', (n) => n > 0 && n <= 1, 'in (0, 1]'))
    .option('--top-k <n>', 'sample among the k most likely tokens (0 = all; transformers\' default 50); turns sampling on', numberIn('--top-k', (n) => n >= 0, '>= 0', true))
    .option('--num-beams <n>', 'beam search with n beams (1 = no beam search)', numberIn('--num-beams', (n) => n >= 1, '>= 1', true))
    .option('--do-sample', 'sample (with temperature 1, top-k 50 unless given)')
    .addOption(new Option('--greedy', 'take the most likely token each step, whatever the other flags say').conflicts('doSample'))
    .option('--repetition-penalty <x>', 'penalty on tokens already in the text (> 0; 1 = none)', numberIn('--repetition-penalty', (n) => n > 0, '> 0'))
    .option('--seed <n>', 'seed of the sampling: the same seed gives the same text (does not turn sampling on)', numberIn('--seed', (n) => n >= 0, '>= 0', true))
    .option('--stream', 'print the text as the tokens are generated')
    .addHelpText('after', `
Greedy or sampling (as transformers' GenerationConfig): greedy unless --do-sample, --temperature
(above 0), --top-p or --top-k is given; --greedy or --temperature 0 is always greedy. With none
of these the model's generation_config.json decides (greedy when the folder has none).
Examples:
  kotoba generate kotoba-gpt-mini "Once upon a time" --max-tokens 30
  kotoba generate kotoba-gpt-mini "Once upon a time" --temperature 0.8 --top-p 0.95 --seed 1 --stream
  kotoba generate kotoba-t5-mini "translate English to German: The house is small."`)
    .action(async (model: string, prompt: string, flags: GenerateFlags, command: Command) => {
      await runGenerate(model, prompt, { ...flags, maxTokensIsDefault: command.getOptionValueSource('maxTokens') === 'default' });
    });
}
