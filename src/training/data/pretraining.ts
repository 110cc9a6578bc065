/**
 * The pretraining data set: documents read from the files, tokenized in batches and packed into
 * blocks of `blockSize` ids (see packing.ts). Each document is encoded with the tokenizer's special
 * tokens ([CLS] .. [SEP] for BERT, .. </s> for T5, as run_mlm and run_t5_mlm do); tokenizers that
 * add none (GPT-2) get the end-of-text token appended so documents stay separated in the stream.
 */
import type { PreTrainedTokenizer } from '../../tokenizers/index.js';
import type { Example } from './example.js';
import { textColumn } from './example.js';
import { BlockPacker } from './packing.js';
import { readFiles, type ReadOptions } from './readers.js';

export interface PretrainingDataOptions extends ReadOptions {
  blockSize: number;
  /** Column holding the text in JSONL/CSV files (default 'text'). */
  textColumn?: string;
  /** Documents encoded per tokenizer call (default 256). */
  tokenizeBatchSize?: number;
  /** Stop after this many blocks (for quick runs). */
  maxBlocks?: number;
}

export interface PretrainingData {
  examples: Example[];
  /** Documents read and tokens packed, for the summary. */
  documents: number;
  tokens: number;
}

export async function buildPretrainingData(paths: readonly string[], tokenizer: PreTrainedTokenizer, options: PretrainingDataOptions): Promise<PretrainingData> {
  const packer = new BlockPacker(options.blockSize);
  const column = options.textColumn ?? 'text';
  const batchSize = options.tokenizeBatchSize ?? 256;
  const eos = tokenizer.eosTokenId;
  const examples: Example[] = [];
  let documents = 0;
  let tokens = 0;
  let pending: string[] = [];
  const flush = () => {
    const encodings = tokenizer.backend.encodeBatch(pending, { addSpecialTokens: true, truncation: null, padding: null });
    for (const e of encodings) {
      const ids = [...e.ids];
      const endsWithSpecial = e.specialTokensMask.length > 0 && e.specialTokensMask[e.specialTokensMask.length - 1] === 1;
      if (!endsWithSpecial && eos !== null) ids.push(eos);
      tokens += ids.length;
      for (const block of packer.push(ids)) examples.push({ inputIds: Array.from(block) });
    }
    pending = [];
  };
  for await (const record of readFiles(paths, options)) {
    const text = textColumn(record.fields, column, `${record.file}:${record.line}`);
    if (text.trim() === '') continue;
    pending.push(text);
    documents++;
    if (pending.length >= batchSize) flush();
    if (options.maxBlocks !== undefined && examples.length >= options.maxBlocks) break;
  }
  if (pending.length) flush();
  packer.finish();
  if (options.maxBlocks !== undefined) examples.length = Math.min(examples.length, options.maxBlocks);
  return { examples, documents, tokens };
}
