/**
 * Loads a model folder for serving: the architecture class from config.json, the weights, the
 * tokenizer, and what the HTTP layer needs to know (ModelInfo). Runs inside a worker thread.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError } from '../errors.js';
import * as models from '../models/index.js';
import type { PreTrainedModel } from '../models/index.js';
import { AutoTokenizer, type PreTrainedTokenizer } from '../tokenizers/index.js';
import type { ModelInfo, ModelKind } from './engine.js';

/** model_type -> the class that serves it and what it does. */
const CLASSES: Record<string, { className: string; kind: ModelKind }> = {
  gpt2: { className: 'GPT2LMHeadModel', kind: 'causal-lm' },
  t5: { className: 'T5ForConditionalGeneration', kind: 'seq2seq' },
  bert: { className: 'BertModel', kind: 'encoder' },
};

/** Embedding pooling: mean over the tokens (default), or the [CLS] token's hidden state. */
export type Pooling = 'mean' | 'cls';

export interface LoadedModel {
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  info: ModelInfo;
  pooling: Pooling;
  /** The token an empty prompt starts from (bos, else eos): OpenAI's default prompt is <|endoftext|>. */
  startTokenId: number | null;
}

type ModelFactory = { fromPretrained(folder: string, options?: object): Promise<PreTrainedModel> };

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new FileFormatError(`${path}: cannot read it as JSON (${(err as Error).message})`);
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * sentence-transformers folders say how they pool in 1_Pooling/config.json; Kotoba honours
 * its CLS mode, and mean-pools otherwise.
 */
function poolingOf(folder: string): Pooling {
  const path = join(folder, '1_Pooling', 'config.json');
  if (!existsSync(path)) return 'mean';
  return readJson(path)['pooling_mode_cls_token'] === true ? 'cls' : 'mean';
}

export async function loadModelFolder(folder: string): Promise<LoadedModel> {
  const configPath = join(folder, 'config.json');
  if (!existsSync(configPath)) throw new FileFormatError(`${folder}: no config.json; is this a model folder?`);
  const config = readJson(configPath);
  const type = String(config['model_type'] ?? '');
  const entry = CLASSES[type];
  const cls = entry ? (models as unknown as Record<string, ModelFactory | undefined>)[entry.className] : undefined;
  if (!entry || !cls) throw new FileFormatError(`${configPath}: model_type ${JSON.stringify(type)} cannot be served (supported: ${Object.keys(CLASSES).join(', ')})`);

  const tokenizer = AutoTokenizer.fromFolder(folder);
  const vocabSize = num(config['vocab_size']) ?? 0;
  if (tokenizer.length > vocabSize) {
    throw new FileFormatError(`${folder}: the tokenizer has ${tokenizer.length} tokens but the model only ${vocabSize} (vocab_size); they do not belong together`);
  }
  const model = await cls.fromPretrained(folder); // its load warnings (e.g. newly initialized weights) go to the server's stderr
  const contextLength = num(config['n_positions']) ?? num(config['max_position_embeddings']) ?? num(config['n_ctx'])
    ?? Math.min(tokenizer.modelMaxLength, 512);
  const hiddenSize = num(config['n_embd']) ?? num(config['hidden_size']) ?? num(config['d_model']) ?? 0;
  const chat = (tokenizer as unknown as { chatTemplate?: unknown }).chatTemplate;
  return {
    model,
    tokenizer,
    pooling: poolingOf(folder),
    startTokenId: tokenizer.bosTokenId ?? tokenizer.eosTokenId ?? num(config['bos_token_id']) ?? num(config['eos_token_id']),
    info: {
      kind: entry.kind, architecture: entry.className, vocabSize, contextLength, hiddenSize,
      hasChatTemplate: typeof chat === 'string' && chat.length > 0,
    },
  };
}
