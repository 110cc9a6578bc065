/**
 * The models the pipeline tests run on: the shipped models in models/ (KOTOBA_MODELS_DIR is
 * pointed at a temporary folder linking to them). A shipped folder that is not there (they are
 * trained by scripts/train-default-models.sh, and not in a fresh clone) is replaced by a stand-in
 * of the same architecture (and labels) with random weights, and the run says so. The tests assert forms and
 * agreement with computations made directly with the model, never particular predictions, so
 * they hold for stand-ins, interim and final models alike.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  BertConfig, BertForMaskedLM, BertForQuestionAnswering, BertForSequenceClassification, BertForTokenClassification, Generator,
  GPT2Config, GPT2LMHeadModel, SHIPPED_MODELS, T5Config, T5ForConditionalGeneration, type ShippedModelName,
} from '../../src/index.js';
import { PreTrainedTokenizer, bertFromVocab } from '../../src/tokenizers/index.js';

export const REPO_MODELS = resolve('models');

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
const WORDS = [
  'the', 'cat', 'sat', 'on', 'mat', 'dog', 'house', 'is', 'was', 'a', 'wonderful', 'good', 'bad', 'great', 'i', 'love', 'hate',
  'this', 'movie', 'phone', 'it', 'alice', 'lives', 'in', 'paris', 'new', 'york', 'city', 'where', 'does', 'live', 'who', 'play',
  '##ing', '##ed', '##s', 'and', 'of', 'to', '.', ',', '!', '?',
];

/** A WordPiece tokenizer: whole words plus every letter (so unknown words split into ## pieces). */
export function standInTokenizer(): PreTrainedTokenizer {
  const tokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...WORDS, ...LETTERS, ...LETTERS.map((l) => `##${l}`)];
  const vocab = new Map([...new Set(tokens)].map((t, i) => [t, i] as [string, number]));
  return new PreTrainedTokenizer(bertFromVocab(vocab), {
    pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]', model_max_length: 128,
  });
}

function bertConfig(tokenizer: PreTrainedTokenizer, extra: Record<string, unknown> = {}): BertConfig {
  return new BertConfig({
    vocab_size: tokenizer.length, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 64,
    max_position_embeddings: 128, ...extra,
  });
}

const labels = (names: string[]) => ({ id2label: Object.fromEntries(names.map((n, i) => [String(i), n])), label2id: Object.fromEntries(names.map((n, i) => [n, i])) });

type StandIn = 'mlm' | 'sentiment' | 'pos' | 'qa' | 'ner' | 'gpt' | 't5';

/**
 * Writes a randomly initialised model (and the stand-in tokenizer) to a folder: a BERT with the
 * given head, or a small GPT-2 / T5 (the tokenizer is architecture-agnostic; GPT-2's adds no
 * special tokens, and [SEP] plays the end-of-sequence token).
 */
export function writeStandIn(folder: string, head: StandIn, seed = 7): string {
  const tokenizer = standInTokenizer();
  const generator = new Generator(seed);
  const eos = tokenizer.sepTokenId!;
  if (head === 'gpt') tokenizer.backend.postProcessor = null;
  const model =
    head === 'gpt' ? new GPT2LMHeadModel(new GPT2Config({ vocab_size: tokenizer.length, n_embd: 32, n_layer: 2, n_head: 2, n_positions: 128, bos_token_id: eos, eos_token_id: eos }), { generator })
    : head === 't5' ? new T5ForConditionalGeneration(new T5Config({ vocab_size: tokenizer.length, d_model: 32, d_kv: 16, d_ff: 64, num_layers: 2, num_heads: 2, pad_token_id: 0, eos_token_id: eos, decoder_start_token_id: 0, is_encoder_decoder: true }), { generator }) :
    head === 'mlm' ? new BertForMaskedLM(bertConfig(tokenizer), { generator })
    : head === 'sentiment' ? new BertForSequenceClassification(bertConfig(tokenizer, labels(['negative', 'positive'])), { generator })
    : head === 'pos' ? new BertForTokenClassification(bertConfig(tokenizer, labels(['nn', 'np', 'np-tl', 'vb', 'at', 'in', 'jj', '.'])), { generator })
    : head === 'ner' ? new BertForTokenClassification(bertConfig(tokenizer, labels(['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'])), { generator })
    : new BertForQuestionAnswering(bertConfig(tokenizer), { generator });
  model.savePretrained(folder);
  tokenizer.savePretrained(folder);
  return folder;
}

const STAND_INS: Record<ShippedModelName, StandIn> = {
  'kotoba-bert-mini': 'mlm',
  'kotoba-bert-mini-sentiment': 'sentiment',
  'kotoba-bert-mini-pos': 'pos',
  'kotoba-gpt-mini': 'gpt',
  'kotoba-t5-mini': 't5',
};

export interface TestModels {
  dir: string;
  /** Shipped models replaced by stand-ins (not in models/ yet). */
  standIns: string[];
}

let setUp: TestModels | null = null;

/**
 * A folder with every shipped model (links to models/, or stand-ins), set as KOTOBA_MODELS_DIR
 * for this process (and for the CLI processes the tests start). Removed when the process exits.
 */
export function testModels(): TestModels {
  if (setUp) return setUp;
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-pipelines-'));
  const standIns: string[] = [];
  for (const name of Object.keys(SHIPPED_MODELS) as ShippedModelName[]) {
    const shipped = join(REPO_MODELS, name);
    // KOTOBA_TEST_STAND_INS=1 tests the stand-ins even where the shipped models exist
    if (existsSync(join(shipped, 'config.json')) && process.env.KOTOBA_TEST_STAND_INS !== '1') symlinkSync(shipped, join(dir, name), 'dir');
    else {
      writeStandIn(join(dir, name), STAND_INS[name]);
      standIns.push(name);
    }
  }
  process.env.KOTOBA_MODELS_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  setUp = { dir, standIns };
  if (standIns.length) console.log(`shipped models not in models/, tested on random-weight stand-ins of the same architecture: ${standIns.join(', ')}`);
  return setUp;
}

export function tempFolder(prefix = 'kotoba-pipeline-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Asserts |a - b| <= tol for numbers. */
export function close(a: number, b: number, tol = 1e-5): boolean {
  return Math.abs(a - b) <= tol + tol * Math.abs(b);
}

export const quiet = { onWarning: () => {} };
