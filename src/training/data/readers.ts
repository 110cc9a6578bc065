/**
 * Streaming readers for the data formats training accepts: plain text (one document per line,
 * or per blank-line-separated block), JSONL (one JSON object per line) and CSV (header row,
 * quoted fields). Any of them may be gzip-compressed. Each yields records with the file and line
 * they came from, so that every later error can name them.
 *
 * A malformed JSONL line or CSV row stops reading with "file:line: reason", unless
 * `skipBadRows` is set: then it is skipped and counted in `stats`.
 */
import { extname } from 'node:path';
import { FileFormatError, OptionError } from '../../errors.js';
import { feedCsvLine, newCsvRow } from './csv.js';
import { readLines } from './lines.js';

/** One example as read from a file: its fields, and where it came from. */
export interface DataRecord {
  fields: Record<string, unknown>;
  file: string;
  line: number;
}

/** Counts kept while reading (shared across files and passed back to the summary). */
export interface ReadStats {
  rows: number;
  skipped: number;
  /** The first few skipped rows as "file:line: reason". */
  skippedExamples: string[];
}

export function newReadStats(): ReadStats {
  return { rows: 0, skipped: 0, skippedExamples: [] };
}

export type DataFormat = 'text' | 'jsonl' | 'csv';

export interface ReadOptions {
  /** File format; by default from the extension (.jsonl/.json, .csv, anything else is text), ignoring .gz. */
  format?: DataFormat;
  /** Plain text: 'line' = one document per line (default), 'block' = blank-line-separated blocks. */
  textMode?: 'line' | 'block';
  /** Skip malformed JSONL lines / CSV rows instead of stopping (they are counted in stats). */
  skipBadRows?: boolean;
  stats?: ReadStats;
  /** CSV field delimiter (default ','). */
  delimiter?: string;
}

/** The format a file name suggests. */
export function formatOf(path: string): DataFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  const ext = extname(name);
  if (ext === '.jsonl' || ext === '.json' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv') return 'csv';
  return 'text';
}

/** Reads records from one file, streaming. Text records have a single field, `text`. */
export async function* readRecords(path: string, options: ReadOptions = {}): AsyncGenerator<DataRecord> {
  const format = options.format ?? formatOf(path);
  const stats = options.stats ?? newReadStats();
  let count = 0;
  const source = format === 'jsonl' ? readJsonl(path, options, stats)
    : format === 'csv' ? readCsv(path, options, stats)
    : readText(path, options.textMode ?? 'line');
  for await (const record of source) {
    count++;
    stats.rows++;
    yield record;
  }
  if (count === 0) throw new OptionError(`${path}: no examples in the file (it holds only blank lines${stats.skipped ? ' or rows that were skipped' : ''}).`);
}

/** Reads the records of several files one after another. */
export async function* readFiles(paths: readonly string[], options: ReadOptions = {}): AsyncGenerator<DataRecord> {
  if (paths.length === 0) throw new OptionError('no data files given');
  for (const path of paths) yield* readRecords(path, options);
}

function reportBad(path: string, line: number, reason: string, options: ReadOptions, stats: ReadStats): void {
  const message = `${path}:${line}: ${reason}`;
  if (!options.skipBadRows) throw new FileFormatError(`${message}. Fix the row, or pass --skip-bad-rows to skip such rows.`);
  stats.skipped++;
  if (stats.skippedExamples.length < 5) stats.skippedExamples.push(message);
}

async function* readText(path: string, mode: 'line' | 'block'): AsyncGenerator<DataRecord> {
  let block: string[] = [];
  let blockStart = 0;
  for await (const { text, lineNumber } of readLines(path)) {
    const blank = text.trim() === '';
    if (mode === 'line') {
      if (!blank) yield { fields: { text }, file: path, line: lineNumber };
      continue;
    }
    if (blank) {
      if (block.length) yield { fields: { text: block.join('\n') }, file: path, line: blockStart };
      block = [];
    } else {
      if (!block.length) blockStart = lineNumber;
      block.push(text);
    }
  }
  if (block.length) yield { fields: { text: block.join('\n') }, file: path, line: blockStart };
}

async function* readJsonl(path: string, options: ReadOptions, stats: ReadStats): AsyncGenerator<DataRecord> {
  for await (const { text, lineNumber } of readLines(path)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      reportBad(path, lineNumber, `invalid JSON (${(e as Error).message})`, options, stats);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      reportBad(path, lineNumber, `expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, options, stats);
      continue;
    }
    yield { fields: value as Record<string, unknown>, file: path, line: lineNumber };
  }
}

async function* readCsv(path: string, options: ReadOptions, stats: ReadStats): AsyncGenerator<DataRecord> {
  const delimiter = options.delimiter ?? (path.toLowerCase().replace(/\.gz$/, '').endsWith('.tsv') ? '\t' : ',');
  let header: string[] | null = null;
  let row = newCsvRow();
  let rowStart = 0;
  let lastLine = 0;
  for await (const { text, lineNumber } of readLines(path)) {
    lastLine = lineNumber;
    if (!row.inQuotes) {
      if (text.trim() === '') continue;
      rowStart = lineNumber;
    }
    const result = feedCsvLine(row, header === null && lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text, delimiter);
    if (result === 'more') continue;
    const fields = row.fields;
    row = newCsvRow();
    if (result !== null) {
      if (header === null) throw new FileFormatError(`${path}:${rowStart}: the header row is malformed: ${result}.`);
      reportBad(path, rowStart, result, options, stats);
      continue;
    }
    if (header === null) {
      header = fields.map((f) => f.trim());
      const dup = header.find((h, i) => header!.indexOf(h) !== i);
      if (dup !== undefined) throw new FileFormatError(`${path}:${rowStart}: the header names column ${JSON.stringify(dup)} twice.`);
      continue;
    }
    if (fields.length !== header.length) {
      reportBad(path, rowStart, `expected ${header.length} fields (as in the header), found ${fields.length}`, options, stats);
      continue;
    }
    yield { fields: Object.fromEntries(header.map((h, i) => [h, fields[i]])), file: path, line: rowStart };
  }
  if (row.inQuotes) reportBad(path, rowStart, `a quoted field is not closed before the end of the file (line ${lastLine})`, options, stats);
  if (header === null) throw new OptionError(`${path}: the CSV file has no header row.`);
}
