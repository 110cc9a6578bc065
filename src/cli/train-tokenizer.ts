/**
 * `kotoba train-tokenizer`: learns a WordPiece (BERT), byte-level BPE (GPT-2) or Unigram (T5)
 * vocabulary from text files and saves it as a Hugging Face tokenizer folder.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Option, type Command } from 'commander';
import { OptionError } from '../errors.js';
import { trainTokenizer } from '../tokenizers/index.js';
import { formatOf, readRecords } from '../training/data/readers.js';
import { textColumn } from '../training/data/example.js';
import { integer } from './train-flags.js';

interface TrainTokenizerFlags {
  type: 'wordpiece' | 'bpe' | 'unigram';
  data: string[];
  out: string;
  vocabSize: number;
  minFrequency: number;
  textColumn: string[];
  lowercase: boolean;
  extraIds: number;
}

export function registerTrainTokenizerCommand(program: Command): void {
  program
    .command('train-tokenizer')
    .description('train a tokenizer (WordPiece, byte-level BPE or Unigram) on text files and save it as a Hugging Face tokenizer folder')
    .addOption(new Option('--type <type>', 'wordpiece (BERT), bpe (GPT-2, byte-level) or unigram (T5, SentencePiece-style)').choices(['wordpiece', 'bpe', 'unigram']).makeOptionMandatory())
    .requiredOption('--data <files...>', 'text files: .txt (a line is a document), .jsonl or .csv (see --text-column), optionally .gz')
    .requiredOption('--out <folder>', 'where tokenizer.json, tokenizer_config.json and special_tokens_map.json are written')
    .option('--vocab-size <n>', 'vocabulary size, special tokens included', integer('--vocab-size'), 8000)
    .option('--min-frequency <n>', 'wordpiece/bpe: pairs seen fewer times are never merged', integer('--min-frequency'), 2)
    .option('--text-column <names...>', 'the columns of .jsonl/.csv files whose text is learned from', ['text'])
    .option('--no-lowercase', 'wordpiece: keep case and accents (a cased vocabulary)')
    .option('--extra-ids <n>', 'unigram: add T5 sentinels <extra_id_0> ... <extra_id_{n-1}> at the end of the vocabulary', integer('--extra-ids'), 0)
    .action(async (flags: TrainTokenizerFlags) => {
      const tokenizer = await runTrainTokenizer(flags);
      console.log(`${flags.type} tokenizer with ${tokenizer.length} tokens saved in ${flags.out}`);
    });
}

export async function runTrainTokenizer(flags: TrainTokenizerFlags) {
  if (flags.vocabSize < 10) throw new OptionError('--vocab-size must be at least 10.');
  if (flags.extraIds < 0 || (flags.extraIds > 0 && flags.type !== 'unigram')) throw new OptionError('--extra-ids applies to --type unigram and must be >= 0.');
  const tmp = mkdtempSync(join(tmpdir(), 'kotoba-train-tok-'));
  try {
    const files = await Promise.all(flags.data.map((file, i) => asTextFile(file, flags.textColumn, join(tmp, `${i}.txt`))));
    const tokenizer = await trainTokenizer({ type: flags.type, files, vocabSize: flags.vocabSize, minFrequency: flags.minFrequency, lowercase: flags.lowercase });
    // T5's sentinels come last, <extra_id_0> being the very last id, as in t5-small's vocabulary.
    if (flags.extraIds > 0) tokenizer.addSpecialTokens({ additionalSpecialTokens: Array.from({ length: flags.extraIds }, (_, i) => `<extra_id_${flags.extraIds - 1 - i}>`) });
    tokenizer.savePretrained(flags.out);
    return tokenizer;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Plain text files are read as they are; the chosen columns of JSONL/CSV rows are written out one per line. */
async function asTextFile(file: string, columns: string[], tmpPath: string): Promise<string> {
  if (formatOf(file) === 'text') return file;
  const out = createWriteStream(tmpPath);
  for await (const record of readRecords(file)) {
    for (const name of columns) {
      const text = textColumn(record.fields, name, `${record.file}:${record.line}`).replace(/\s*\n\s*/g, ' ');
      if (!out.write(`${text}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return tmpPath;
}
