import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { KotobaError } from '../../errors.js';
import type { Tokenizer } from '../tokenizer.js';

/**
 * Streams text files line by line (".gz" files are gunzipped on the fly) and counts the words
 * the tokenizer's model would see: the same normalization and pre-tokenization as encoding.
 * Memory holds the distinct words, never the files.
 */
export async function countWords(files: string[], tokenizer: Tokenizer): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (words: string[]): void => {
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  };
  for (const file of files) {
    if (!existsSync(file)) throw new KotobaError(`trainTokenizer: ${file} does not exist`);
    const input = createReadStream(file);
    const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) tokenizer.modelWords(line, add);
  }
  return counts;
}
