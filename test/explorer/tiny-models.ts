/**
 * Model folders for the explorer's tests, made in a temporary folder: the tiny fixture
 * checkpoints (config.json + model.safetensors, linked, never copied into the repo) next to
 * small tokenizers written here whose vocabularies fit the checkpoints' (99-120 ids), so real
 * text goes in and the tokens shown are real words.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/fixtures.js';

const WORDS = [
  'the', 'cat', 'sat', 'on', 'mat', 'a', 'dog', 'is', 'cute', 'hello', 'my', 'house', 'wonderful', 'and', 'of', 'to', 'in',
  'it', 'was', 'big', 'red', 'ran', 'saw', 'bird', 'tree', 'sun', 'day', 'good', 'very', 'with', 'he', 'she', 'they', 'we',
];

/** A BERT WordPiece vocab of exactly `size` entries: specials, words, then letters and ##letters. */
function bertVocab(size: number): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '.', ',', '!', '?', ...letters, ...letters.map((l) => `##${l}`), ...WORDS];
  for (let i = 0; vocab.length < size; i++) vocab.push(`[unused${i}]`);
  return vocab.slice(0, size);
}

function bertFolder(root: string, fixture: string, vocabSize: number): string {
  const dir = join(root, fixture);
  mkdirSync(dir);
  for (const f of ['config.json', 'model.safetensors']) symlinkSync(join(FIXTURES, 'models', fixture, f), join(dir, f));
  writeFileSync(join(dir, 'vocab.txt'), bertVocab(vocabSize).join('\n') + '\n');
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true, model_max_length: 64 }));
  writeFileSync(join(dir, 'special_tokens_map.json'), JSON.stringify({ unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' }));
  return dir;
}

/** A byte-level BPE of 100 pieces (letters, space, punctuation, whole words by merges) + <|endoftext|>. */
function gpt2Folder(root: string): string {
  const dir = join(root, 'gpt2-tiny');
  mkdirSync(dir);
  for (const f of ['config.json', 'model.safetensors', 'generation_config.json']) symlinkSync(join(FIXTURES, 'models', 'gpt2-tiny', f), join(dir, f));
  const vocab: string[] = [...'abcdefghijklmnopqrstuvwxyzTHIA.,!?'.split(''), 'Ġ'];
  const merges: string[] = [];
  for (const word of ['The', 'He', ...WORDS.map((w) => `Ġ${w}`)]) {
    let piece = word[0];
    for (const ch of word.slice(1)) {
      if (vocab.length >= 100) break;
      if (!vocab.includes(piece + ch)) {
        merges.push(`${piece} ${ch}`);
        vocab.push(piece + ch);
      }
      piece += ch;
    }
  }
  const ids = Object.fromEntries([...vocab, '<|endoftext|>'].map((t, i) => [t, i]));
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify(ids));
  writeFileSync(join(dir, 'merges.txt'), '#version: 0.2\n' + merges.join('\n') + '\n');
  writeFileSync(join(dir, 'special_tokens_map.json'), JSON.stringify({ bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>' }));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 64 }));
  return dir;
}

/** A Unigram tokenizer.json of 103 pieces (T5's layout: <pad> 0, </s> 1, <unk> 2). */
function t5Folder(root: string): string {
  const dir = join(root, 't5-tiny');
  mkdirSync(dir);
  for (const f of ['config.json', 'model.safetensors', 'generation_config.json']) symlinkSync(join(FIXTURES, 'models', 't5-tiny-v1_0', f), join(dir, f));
  const pieces: [string, number][] = [['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['▁', -3], ['.', -3], [',', -3], [':', -4]];
  for (const w of ['translate', 'English', 'German', ...WORDS, 'The', 'Das', 'Haus', 'ist', 'wunderbar']) pieces.push([`▁${w}`, -5]);
  for (const l of 'abcdefghijklmnopqrstuvwxyzEGTDH'.split('')) if (pieces.length < 103) pieces.push([l, -8]);
  while (pieces.length < 103) pieces.push([`<extra_${pieces.length}>`, -20]);
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizer = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [special(0, '<pad>'), special(1, '</s>'), special(2, '<unk>')],
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 2, vocab: pieces, byte_fallback: false },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'special_tokens_map.json'), JSON.stringify({ eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>' }));
  return dir;
}

export interface TinyModels {
  root: string;
  bertMlm: string;
  bertCls: string;
  gpt2: string;
  t5: string;
}

let made: TinyModels | undefined;

/** The four folders (made once per test process). */
export function tinyModels(): TinyModels {
  if (made && existsSync(made.root)) return made;
  if (!existsSync(join(FIXTURES, 'models', 'gpt2-tiny', 'config.json'))) throw new Error(`the explorer tests need the model fixtures in ${FIXTURES}/models`);
  const root = mkdtempSync(join(tmpdir(), 'kotoba-explorer-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  made = { root, bertMlm: bertFolder(root, 'bert-tiny-mlm', 120), bertCls: bertFolder(root, 'bert-tiny-cls', 99), gpt2: gpt2Folder(root), t5: t5Folder(root) };
  return made;
}
