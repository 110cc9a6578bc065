/**
 * Tokenizers built from the "classic" files that predate tokenizer.json, the way transformers'
 * converters build them: vocab.txt (BERT), vocab.json + merges.txt (GPT-2), spiece.model (T5).
 */
import { FileFormatError } from '../errors.js';
import { addedToken } from './added-vocabulary.js';
import { ByteLevelDecoder, MetaspaceDecoder, WordPieceDecoder } from './decoders.js';
import { JsonReader } from './json-reader.js';
import { BPE } from './models/bpe.js';
import { Unigram } from './models/unigram.js';
import { WordPiece } from './models/wordpiece.js';
import { BertNormalizer } from './normalizers/bert.js';
import type { Normalizer } from './normalizers/normalizer.js';
import { Precompiled } from './normalizers/precompiled.js';
import { Replace, SequenceNormalizer, Strip } from './normalizers/simple.js';
import { PassThroughProcessing, type SpecialTokenSpec, TemplateProcessing, bertTemplate } from './post-processors.js';
import { BertPreTokenizer } from './pre-tokenizers/bert.js';
import { ByteLevel } from './pre-tokenizers/byte-level.js';
import { Metaspace } from './pre-tokenizers/metaspace.js';
import { PieceType, readSentencePieceModel } from './sentencepiece-model.js';
import { Tokenizer } from './tokenizer.js';

/** The subset of tokenizer_config.json the converters read. */
export interface ClassicConfig {
  do_lower_case?: boolean;
  strip_accents?: boolean | null;
  tokenize_chinese_chars?: boolean;
  add_prefix_space?: boolean;
  extra_ids?: number;
  unk_token?: string;
  sep_token?: string;
  pad_token?: string;
  cls_token?: string;
  mask_token?: string;
  eos_token?: string;
  bos_token?: string;
}

/**
 * vocab.txt: one token per line, the line number is the id. As in transformers, a repeated token
 * keeps its last line.
 */
export function parseVocabTxt(text: string, file = 'vocab.txt'): Map<string, number> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0 || lines.every((l) => l.trim() === '')) throw new FileFormatError(`${file}: the vocabulary is empty`);
  const vocab = new Map<string, number>();
  lines.forEach((line, i) => vocab.set(line.endsWith('\r') ? line.slice(0, -1) : line, i));
  return vocab;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a tokenizer file, naming the file and the byte where it stops being UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Find the first U+FFFD of a lossy decode that is not a real U+FFFD in the file.
    const lossy = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    let at = 0;
    for (let i = lossy.indexOf('\ufffd'); i >= 0; i = lossy.indexOf('\ufffd', i + 1)) {
      at = Buffer.byteLength(lossy.slice(0, i));
      if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) break;
    }
    throw new FileFormatError(`${file}: not valid UTF-8 (at byte ${at})`);
  }
}

export function bertFromVocab(vocab: Map<string, number>, config: ClassicConfig = {}, file = 'vocab.txt'): Tokenizer {
  const unk = config.unk_token ?? '[UNK]';
  const cls = config.cls_token ?? '[CLS]';
  const sep = config.sep_token ?? '[SEP]';
  for (const t of [unk, cls, sep]) if (!vocab.has(t)) throw new FileFormatError(`${file}: the special token ${t} is not in the vocabulary`);
  const tokenizer = new Tokenizer(new WordPiece(vocab, { unkToken: unk, continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 }));
  tokenizer.setNormalizer(
    new BertNormalizer({
      cleanText: true,
      handleChineseChars: config.tokenize_chinese_chars ?? true,
      stripAccents: config.strip_accents ?? null,
      lowercase: config.do_lower_case ?? true,
    }),
  );
  tokenizer.preTokenizer = new BertPreTokenizer();
  tokenizer.postProcessor = bertTemplate([cls, vocab.get(cls)!], [sep, vocab.get(sep)!]);
  tokenizer.decoder = new WordPieceDecoder('##', true);
  const specials = [config.pad_token ?? '[PAD]', unk, cls, sep, config.mask_token ?? '[MASK]'];
  for (const t of specials) if (vocab.has(t)) tokenizer.addedVocabulary.add(addedToken(vocab.get(t)!, t, true, { normalized: false }));
  return tokenizer;
}

/** merges.txt: an optional "#version" line, then one "left right" pair per line. */
export function parseMerges(text: string, file = 'merges.txt'): [string, string][] {
  const merges: [string, string][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || (i === 0 && line.startsWith('#version'))) return;
    const parts = line.split(' ');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new FileFormatError(`${file}: line ${i + 1} must be two tokens separated by one space, got ${JSON.stringify(line)}`);
    merges.push([parts[0], parts[1]]);
  });
  return merges;
}

export function gpt2FromFiles(vocabJson: string, mergesText: string, config: ClassicConfig = {}, files = ['vocab.json', 'merges.txt']): Tokenizer {
  const vocab = JsonReader.parse(files[0], vocabJson).vocab();
  const merges = parseMerges(mergesText, files[1]);
  let model: BPE;
  try {
    model = new BPE(vocab, merges);
  } catch (e) {
    if (e instanceof FileFormatError) throw new FileFormatError(`${files[1]}: ${e.message}`);
    throw e;
  }
  const tokenizer = new Tokenizer(model);
  tokenizer.preTokenizer = new ByteLevel(config.add_prefix_space ?? false, true, true);
  tokenizer.postProcessor = new PassThroughProcessing({ type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true });
  tokenizer.decoder = new ByteLevelDecoder();
  const specials = new Set([config.bos_token, config.eos_token, config.unk_token, '<|endoftext|>']);
  for (const t of specials) if (t !== undefined && vocab.has(t)) tokenizer.addedVocabulary.add(addedToken(vocab.get(t)!, t, true, { normalized: true }));
  return tokenizer;
}

/**
 * spiece.model as transformers' T5 converter reads it: Unigram over the pieces plus `extra_ids`
 * sentinels <extra_id_N> (highest N first), SentencePiece's normalization rules, Metaspace, "</s>"
 * after each sequence.
 */
export function t5FromSentencePiece(bytes: Uint8Array, config: ClassicConfig = {}, file = 'spiece.model'): Tokenizer {
  const spm = readSentencePieceModel(bytes, file);
  if (spm.modelType !== 1) throw new FileFormatError(`${file}: model type ${spm.modelType} is not Unigram (1); only Unigram SentencePiece models are supported`);
  const pieces: [string, number][] = spm.pieces.map((p) => [p.piece, p.score]);
  const extra = config.extra_ids ?? 100;
  for (let i = extra - 1; i >= 0; i--) pieces.push([`<extra_id_${i}>`, 0]);
  const tokenizer = new Tokenizer(new Unigram(pieces, spm.unkId, spm.byteFallback));
  const normalizers: Normalizer[] = [];
  if (spm.precompiledCharsmap.length > 0) normalizers.push(new Precompiled(Buffer.from(spm.precompiledCharsmap).toString('base64')));
  if (spm.removeExtraWhitespaces) normalizers.push(new Strip(false, true), new Replace({ Regex: ' {2,}' }, '\u2581'));
  tokenizer.setNormalizer(normalizers.length ? new SequenceNormalizer(normalizers) : null);
  const scheme = spm.addDummyPrefix ? 'always' : 'never';
  tokenizer.preTokenizer = new Metaspace('\u2581', scheme, true);
  tokenizer.decoder = new MetaspaceDecoder('\u2581', scheme, true);
  const eos = config.eos_token ?? '</s>';
  const eosId = pieces.findIndex(([p]) => p === eos);
  if (eosId < 0) throw new FileFormatError(`${file}: the end-of-sequence token ${eos} is not a piece`);
  const specials = new Map<string, SpecialTokenSpec>([[eos, { id: eos, ids: [eosId], tokens: [eos] }]]);
  tokenizer.postProcessor = new TemplateProcessing(
    TemplateProcessing.parseTemplate(`$A:0 ${eos}:0`),
    TemplateProcessing.parseTemplate(`$A:0 ${eos}:0 $B:0 ${eos}:0`),
    specials,
  );
  spm.pieces.forEach((p, id) => {
    if (p.type === PieceType.Control || p.type === PieceType.Unknown) tokenizer.addedVocabulary.add(addedToken(id, p.piece, true, { normalized: false }));
  });
  for (let i = spm.pieces.length; i < pieces.length; i++) tokenizer.addedVocabulary.add(addedToken(i, pieces[i][0], true, { normalized: false }));
  return tokenizer;
}
