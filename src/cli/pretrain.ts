/**
 * `kotoba pretrain`: trains a BERT (masked LM), GPT-2 (causal LM) or T5 (span corruption) from
 * scratch on text files, optionally training its tokenizer first:
 *
 *   kotoba pretrain --arch gpt2 --config small --tokenizer train --data corpus.txt.gz --out runs/gpt2
 */
import { existsSync, readFileSync } from 'node:fs';
import { type Command } from 'commander';
import { OptionError } from '../errors.js';
import { AutoConfig, AutoModelForCausalLM, AutoModelForMaskedLM, AutoModelForSeq2SeqLM, BertForMaskedLM, type PreTrainedModel } from '../models/index.js';
import { manualSeed } from '../tensor/index.js';
import { AutoTokenizer, trainTokenizer, type PreTrainedTokenizer } from '../tokenizers/index.js';
import {
  CausalLMCollator, MaskedLMCollator, SpanCorruptionCollator, Trainer, buildPretrainingData, languageModelingMetrics, newReadStats,
  trainValidationSplit, type Collator, type Example,
} from '../training/index.js';
import { addTrainerFlags, checkOutputFolder, integer, number, reporter, tokenizerFiles, trainingArguments, type TrainerFlags } from './train-flags.js';

type Arch = 'bert' | 'gpt2' | 't5';

/** Model sizes by name; `base` is the shape of bert-base / GPT-2 small / t5-base. */
export const PRESETS: Record<Arch, Record<string, Record<string, unknown>>> = {
  bert: {
    tiny: { hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 256, max_position_embeddings: 256 },
    small: { hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024, max_position_embeddings: 512 },
    base: { hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, max_position_embeddings: 512 },
  },
  gpt2: {
    tiny: { n_embd: 64, n_layer: 2, n_head: 2, n_positions: 256 },
    small: { n_embd: 256, n_layer: 4, n_head: 4, n_positions: 512 },
    base: { n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024 },
  },
  t5: {
    tiny: { d_model: 64, d_kv: 32, d_ff: 256, num_layers: 2, num_heads: 2 },
    small: { d_model: 256, d_kv: 64, d_ff: 1024, num_layers: 4, num_heads: 4 },
    base: { d_model: 768, d_kv: 64, d_ff: 3072, num_layers: 12, num_heads: 12 },
  },
};

interface PretrainFlags extends TrainerFlags {
  arch: Arch; config: string; tokenizer: string; data: string[]; validation?: string[]; validationSplit: number;
  blockSize: number; textColumn: string; textMode: 'line' | 'block'; vocabSize: number; maxBlocks?: number; initFrom?: string;
  mlmProbability: number; wholeWordMask: boolean; noiseDensity: number; meanNoiseSpanLength: number;
}

export function registerPretrainCommand(program: Command): void {
  const cmd = program
    .command('pretrain')
    .description('pretrain a BERT (masked LM), GPT-2 (causal LM) or T5 (span corruption) from scratch on text files')
    .requiredOption('--arch <arch>', 'architecture: bert, gpt2 or t5')
    .option('--config <preset|file>', 'model size: a preset (tiny, small, base) or a config.json file', 'tiny')
    .option('--tokenizer <folder|train>', 'a tokenizer folder, or "train" to train one on --data first', 'train')
    .option('--init-from <model>', 'continue pretraining this model (its weights, config and tokenizer; --config and --tokenizer are not used): domain-adaptive pretraining')
    .requiredOption('--data <files...>', 'training text: .txt (one document per line), .jsonl, .csv, optionally .gz')
    .requiredOption('--out <folder>', 'output folder: checkpoints, metrics.jsonl, training.svg, the final model')
    .option('--validation <files...>', 'validation text (default: a split of --data)')
    .option('--validation-split <x>', 'fraction of the blocks held out when there is no --validation', number('--validation-split'), 0.05)
    .option('--block-size <n>', 'tokens per training block (documents are concatenated and cut)', integer('--block-size'), 128)
    .option('--text-column <name>', 'text column of JSONL/CSV files', 'text')
    .option('--text-mode <mode>', 'plain text: "line" (a document per line) or "block" (blank-line-separated)', 'line')
    .option('--vocab-size <n>', 'vocabulary size when training the tokenizer', integer('--vocab-size'), 8000)
    .option('--max-blocks <n>', 'use at most N training blocks (quick runs)', integer('--max-blocks'))
    .option('--mlm-probability <x>', 'BERT: fraction of tokens chosen for masking', number('--mlm-probability'), 0.15)
    .option('--whole-word-mask', 'BERT: mask whole words instead of single WordPiece tokens', false)
    .option('--noise-density <x>', 'T5: fraction of tokens corrupted', number('--noise-density'), 0.15)
    .option('--mean-noise-span-length <x>', 'T5: mean length of a corrupted span', number('--mean-noise-span-length'), 3);
  addTrainerFlags(cmd, { learningRate: 5e-4, metric: 'loss' }).action(async (flags: PretrainFlags) => {
    const result = await runPretrain(flags);
    if (result.interrupted) process.exitCode = 130;
  });
}

async function loadOrTrainTokenizer(f: PretrainFlags): Promise<PreTrainedTokenizer> {
  if (f.tokenizer !== 'train') return AutoTokenizer.fromFolder(f.tokenizer);
  const type = f.arch === 'bert' ? 'wordpiece' : f.arch === 'gpt2' ? 'bpe' : 'unigram';
  const tokenizer = await trainTokenizer({ type, files: f.data, vocabSize: f.vocabSize });
  // T5's 100 sentinels, <extra_id_0> last, as in t5-small's vocabulary
  if (f.arch === 't5') tokenizer.addSpecialTokens({ additionalSpecialTokens: Array.from({ length: 100 }, (_, i) => `<extra_id_${99 - i}>`) });
  return tokenizer;
}

function modelConfig(f: PretrainFlags, tokenizer: PreTrainedTokenizer): Record<string, unknown> {
  const preset = PRESETS[f.arch][f.config];
  let dict: Record<string, unknown>;
  if (preset) dict = { ...preset };
  else if (existsSync(f.config)) dict = JSON.parse(readFileSync(f.config, 'utf8')) as Record<string, unknown>;
  else throw new OptionError(`--config: "${f.config}" is neither a preset (${Object.keys(PRESETS[f.arch]).join(', ')}) nor a config.json file.`);
  dict.vocab_size = tokenizer.length;
  const pad = tokenizer.padTokenId ?? tokenizer.eosTokenId ?? 0;
  if (f.arch === 'gpt2') Object.assign(dict, { bos_token_id: tokenizer.eosTokenId, eos_token_id: tokenizer.eosTokenId });
  if (f.arch === 't5') Object.assign(dict, { pad_token_id: pad, eos_token_id: tokenizer.eosTokenId, decoder_start_token_id: pad });
  if (f.arch === 'bert') dict.pad_token_id = pad;
  return dict;
}

function collatorFor(f: PretrainFlags, tokenizer: PreTrainedTokenizer): Collator {
  const pad = tokenizer.padTokenId ?? tokenizer.eosTokenId ?? 0;
  if (f.arch === 'gpt2') return new CausalLMCollator({ padTokenId: pad });
  if (f.arch === 'bert') {
    const mask = tokenizer.maskTokenId;
    if (mask === null) throw new OptionError('--arch bert: the tokenizer has no mask token ([MASK]); masked-LM pretraining needs one');
    return new MaskedLMCollator({
      padTokenId: pad, maskTokenId: mask, vocabSize: tokenizer.length, specialIds: tokenizer.allSpecialIds,
      mlmProbability: f.mlmProbability, wholeWordMask: f.wholeWordMask,
      isContinuation: (id) => tokenizer.backend.idToToken(id)?.startsWith('##') ?? false,
    });
  }
  const eos = tokenizer.eosTokenId;
  if (eos === null) throw new OptionError('--arch t5: the tokenizer has no end-of-sequence token (</s>)');
  const sentinelId = (k: number): number => {
    const id = tokenizer.backend.tokenToId(`<extra_id_${k}>`);
    if (id === undefined) throw new OptionError(`--arch t5: the tokenizer has no sentinel <extra_id_${k}>; span corruption needs <extra_id_0> .. <extra_id_99>`);
    return id;
  };
  sentinelId(0);
  return new SpanCorruptionCollator({ padTokenId: pad, eosTokenId: eos, sentinelId, noiseDensity: f.noiseDensity, meanNoiseSpanLength: f.meanNoiseSpanLength });
}

export async function runPretrain(f: PretrainFlags): Promise<{ interrupted: boolean }> {
  if (!['bert', 'gpt2', 't5'].includes(f.arch)) throw new OptionError(`--arch must be bert, gpt2 or t5, got "${f.arch}"`);
  if (!['line', 'block'].includes(f.textMode)) throw new OptionError(`--text-mode must be line or block, got "${f.textMode}"`);
  checkOutputFolder(f.out, f.resume);
  const log = reporter(f);
  const tokenizer = f.initFrom ? await AutoTokenizer.fromPretrained(f.initFrom) : await loadOrTrainTokenizer(f);
  const Auto = f.arch === 'bert' ? AutoModelForMaskedLM : f.arch === 'gpt2' ? AutoModelForCausalLM : AutoModelForSeq2SeqLM;
  const initial = f.initFrom ? await Auto.fromPretrained(f.initFrom) as PreTrainedModel : null;
  if (initial && initial.config.modelType !== f.arch) throw new OptionError(`--init-from ${f.initFrom} is a ${initial.config.modelType} model, not --arch ${f.arch}.`);
  const config = initial ? initial.config : AutoConfig.forModel(f.arch, modelConfig(f, tokenizer));
  const context = (config as unknown as { maxPositionEmbeddings?: number; nPositions?: number }).maxPositionEmbeddings
    ?? (config as unknown as { nPositions?: number }).nPositions;
  if (context !== undefined && f.blockSize > context) {
    throw new OptionError(`--block-size ${f.blockSize} is longer than the model's context of ${context} positions; use --block-size ${context} or less.`);
  }
  const stats = newReadStats();
  const read = { blockSize: f.blockSize, textColumn: f.textColumn, textMode: f.textMode, skipBadRows: f.skipBadRows, stats };
  const train = await buildPretrainingData(f.data, tokenizer, { ...read, maxBlocks: f.maxBlocks });
  let trainBlocks: Example[] = train.examples;
  let evalBlocks: Example[];
  if (f.validation) evalBlocks = (await buildPretrainingData(f.validation, tokenizer, read)).examples;
  else {
    const split = trainValidationSplit(trainBlocks.length, f.validationSplit, f.seed);
    evalBlocks = split.validation.map((i) => trainBlocks[i]);
    trainBlocks = split.train.map((i) => trainBlocks[i]);
  }
  if (trainBlocks.length === 0) {
    throw new OptionError(`the training data holds ${train.tokens} tokens, not enough for one block of ${f.blockSize}; give more text or a smaller --block-size.`);
  }
  log.line(`pretrain ${f.arch}: ${train.documents} documents, ${train.tokens} tokens -> ${trainBlocks.length} training / ${evalBlocks.length} validation blocks of ${f.blockSize}`
    + (stats.skipped ? `; skipped ${stats.skipped} bad rows (${stats.skippedExamples.join('; ')})` : ''));

  manualSeed(f.seed); // the initial weights depend on the seed only
  const model = initial ?? (Auto.fromConfig(config) as PreTrainedModel);
  // the masked-LM head only where the collator masked (the same loss, a fraction of the work)
  if (model instanceof BertForMaskedLM) model.sparsePrediction = true;
  log.line(`model: ${model.constructor.name}, ${model.numParameters().toLocaleString('en-US')} parameters`);
  const trainer = new Trainer({
    model, trainDataset: trainBlocks, evalDataset: evalBlocks, collator: collatorFor(f, tokenizer),
    metrics: languageModelingMetrics, modelFiles: tokenizerFiles(tokenizer),
    args: trainingArguments(f),
  });
  const result = await trainer.train({ resumeFromCheckpoint: f.resume });
  log.line(result.interrupted
    ? `stopped at step ${result.globalStep}; checkpoint ${result.lastCheckpoint}; continue with --resume`
    : `done: ${result.globalStep} steps, train loss ${result.trainLoss.toFixed(4)}`
      + (result.evalMetrics ? `, eval loss ${result.evalMetrics.eval_loss.toFixed(4)}, perplexity ${result.evalMetrics.eval_perplexity.toFixed(2)}` : '')
      + `; model saved in ${f.out}`);
  return { interrupted: result.interrupted };
}
