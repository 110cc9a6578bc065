/**
 * Tiny servable model folders for the server tests, built in a temporary folder from the shared
 * fixtures (never copied into the repo). The fixture weights have vocabularies of 101 (GPT-2)
 * and 99 (BERT) tokens, far smaller than the GPT-2 and bert-base-uncased tokenizers, so each
 * folder gets a small tokenizer of its own whose ids fit: a byte-level BPE over printable ASCII
 * for GPT-2, a WordPiece vocabulary of letters, digits and a few words for BERT.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GPT2Config, GPT2LMHeadModel, Generator } from '../../src/index.js';

const FIXTURES = resolve(process.cwd(), '../shared/fixtures/models');

/** GPT-2's byte-to-character map for the bytes used here: printable ASCII is itself, space Ġ, newline Ċ. */
function byteLevelAlphabet(): string[] {
  const chars: string[] = [];
  for (let b = 33; b <= 126; b++) chars.push(String.fromCharCode(b));
  chars.push('\u0120', '\u010A');
  return chars;
}

function gpt2Tokenizer(): object {
  const vocab: Record<string, number> = {};
  byteLevelAlphabet().forEach((c, i) => { vocab[c] = i; });
  const merges = [['\u0120', 't'], ['h', 'e'], ['\u0120t', 'he'], ['i', 'n']];
  for (const [a, b] of merges) vocab[a + b] = Object.keys(vocab).length; // ids 96..99
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [{ id: 100, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, vocab, merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

function bertVocab(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'is', 'cute', 'hello', 'my', 'and', 'a', 'house', 'wonderful', 'words'];
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...letters, ...'0123456789'.split(''), '.', ',', '!', '?', "'", '-',
    ...letters.map((c) => `##${c}`), ...words.filter((w) => w.length > 1)];
  return vocab.slice(0, 99);
}

/** The test tokenizer's files, to save with a model (savePretrained's `files`). */
export function gpt2TokenizerFiles(): Record<string, string> {
  return {
    'tokenizer.json': JSON.stringify(gpt2Tokenizer()),
    'tokenizer_config.json': JSON.stringify({ bos_token: '<|endoftext|>', eos_token: '<|endoftext|>' }),
  };
}

export interface ModelFolders {
  gpt2: string;
  /** A random GPT-2 saved by Kotoba with a context of 256 (room for the example's max_tokens: 100). */
  gpt2Long: string;
  /** The T5 fixture (vocab 103) with the GPT-2 test tokenizer: only for checking the encoder-decoder path. */
  t5: string;
  bert: string;
  root: string;
  cleanup(): void;
}

export function makeModelFolders(): ModelFolders {
  const root = mkdtempSync(join(tmpdir(), 'kotoba-server-'));
  const gpt2 = join(root, 'gpt2-tiny');
  const bert = join(root, 'bert-tiny');
  for (const [dir, src, files] of [
    [gpt2, 'gpt2-tiny', ['config.json', 'model.safetensors', 'generation_config.json']],
    [bert, 'bert-tiny-base-fp16', ['config.json', 'model.safetensors']],
  ] as const) {
    mkdirSync(dir);
    for (const f of files) copyFileSync(join(FIXTURES, src, f), join(dir, f));
  }
  writeFileSync(join(gpt2, 'tokenizer.json'), JSON.stringify(gpt2Tokenizer()));
  writeFileSync(join(gpt2, 'tokenizer_config.json'), JSON.stringify({ bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', model_max_length: 64 }));
  const t5 = join(root, 't5-tiny');
  mkdirSync(t5);
  for (const f of ['config.json', 'model.safetensors', 'generation_config.json']) copyFileSync(join(FIXTURES, 't5-tiny-v1_0', f), join(t5, f));
  for (const [name, text] of Object.entries(gpt2TokenizerFiles())) writeFileSync(join(t5, name), text);
  const gpt2Long = join(root, 'gpt2-long');
  const config = new GPT2Config({ vocab_size: 101, n_positions: 256, n_embd: 32, n_layer: 2, n_head: 4, bos_token_id: 100, eos_token_id: 100 });
  new GPT2LMHeadModel(config, { generator: new Generator(0) }).savePretrained(gpt2Long, { files: gpt2TokenizerFiles() });
  writeFileSync(join(bert, 'vocab.txt'), `${bertVocab().join('\n')}\n`);
  writeFileSync(join(bert, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, model_max_length: 64 }));
  return { gpt2, gpt2Long, t5, bert, root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
