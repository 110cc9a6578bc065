/**
 * Streaming line reader: yields the lines of a text file one at a time, with their 1-based line
 * numbers, decompressing gzip on the fly (detected by the magic bytes 1f 8b, whatever the name).
 * Nothing is read into memory as a whole, so corpora of any size can be tokenized.
 */
import { closeSync, openSync, readSync, createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { FileFormatError, OptionError } from '../../errors.js';

export interface Line {
  text: string;
  /** 1-based line number in the (decompressed) file. */
  lineNumber: number;
}

/** True when the file starts with gzip's magic bytes. */
export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Checks that `path` is a readable, non-empty file; throws an OptionError naming it otherwise. */
export function checkDataFile(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new OptionError(`${path}: not a file. Give the path of a .txt, .jsonl, .csv (optionally .gz) file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof OptionError) throw e;
    throw new OptionError(`${path}: cannot read the data file (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  if (size === 0) throw new OptionError(`${path}: the data file is empty.`);
}

/** Yields every line of the file (without the line break; a trailing "\r" is removed). */
export async function* readLines(path: string): AsyncGenerator<Line> {
  checkDataFile(path);
  const raw = createReadStream(path);
  let source: Readable = raw;
  if (isGzip(path)) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    source = raw.pipe(gunzip);
  }
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      yield { text, lineNumber };
    }
  } catch (e) {
    throw new FileFormatError(`${path}:${lineNumber + 1}: cannot read the file (${(e as Error).message}); a .gz file may be truncated or corrupt.`);
  } finally {
    lines.close();
    raw.destroy();
  }
}
