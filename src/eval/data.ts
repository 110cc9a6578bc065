/** Reading the evaluation data of ../shared/data (see its README.md for the sets). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export function readJsonl<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

/** <data>/<set>/<split>.jsonl */
export function readSplit<T = Record<string, unknown>>(data: string, set: string, split: 'train' | 'validation' | 'test'): T[] {
  return readJsonl<T>(join(data, set, `${split}.jsonl`));
}

/** The first n items in file order (all when n is undefined): the deterministic subset. */
export function firstN<T>(items: readonly T[], n: number | undefined): T[] {
  return n === undefined ? [...items] : items.slice(0, n);
}

export interface CorpusSample {
  documents: Uint8Array[];
  bytes: number;
  /** Bytes of the whole corpus (to say how much of it the sample is). */
  totalBytes: number;
  files: number;
  everyNth: number;
}

/**
 * A deterministic sample of the English corpus (<data>/corpus/en/*.txt.gz, one document a
 * line): every `everyNth` non-empty line of each file, starting with the first. everyNth = 1
 * takes the whole corpus.
 */
export function sampleCorpus(data: string, everyNth: number, lang = 'en'): CorpusSample {
  const dir = join(data, 'corpus', lang);
  if (!existsSync(dir)) throw new Error(`no corpus folder ${dir}`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt.gz')).sort();
  const documents: Uint8Array[] = [];
  let bytes = 0;
  let totalBytes = 0;
  for (const f of files) {
    const raw = gunzipSync(readFileSync(join(dir, f)));
    totalBytes += raw.length;
    let index = 0;
    let start = 0;
    while (start < raw.length) {
      let end = raw.indexOf(0x0a, start);
      if (end < 0) end = raw.length;
      if (end > start) {
        if (index % everyNth === 0) {
          const doc = raw.subarray(start, end);
          documents.push(doc);
          bytes += doc.length;
        }
        index++;
      }
      start = end + 1;
    }
  }
  return { documents, bytes, totalBytes, files: files.length, everyNth };
}

/** Every line of the corpus files of a language, as a set (to find test texts the LMs were trained on). */
export function corpusLines(data: string, lang = 'en'): Set<string> {
  const dir = join(data, 'corpus', lang);
  const lines = new Set<string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.txt.gz')).sort()) {
    for (const line of gunzipSync(readFileSync(join(dir, f))).toString('utf8').split('\n')) if (line) lines.add(line);
  }
  return lines;
}
