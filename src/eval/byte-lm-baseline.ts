/**
 * The character (byte) 5-gram baseline, trained once per run on a deterministic sample of the
 * English corpus and shared by the tasks that need it.
 */
import { KneserNeyByteLM } from './char-ngram-lm.js';
import { sampleCorpus } from './data.js';

export interface TrainedByteLM {
  lm: KneserNeyByteLM;
  description: string;
  seconds: number;
}

/** 1 = the whole 42 MB corpus (about 40 s and 350 MB on the project machine); n > 1 takes every nth line. */
export const CORPUS_EVERY_NTH = 1;

let cached: { key: string; value: TrainedByteLM } | null = null;

export function trainedByteLM(data: string, everyNth = CORPUS_EVERY_NTH): TrainedByteLM {
  const key = `${data}|${everyNth}`;
  if (cached?.key === key) return cached.value;
  const t0 = performance.now();
  const sample = sampleCorpus(data, everyNth);
  const lm = new KneserNeyByteLM(5).fit(sample.documents);
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const description = everyNth === 1
    ? `byte 5-gram, interpolated Kneser-Ney, trained on the whole English corpus (${mb(sample.bytes)} MB)`
    : `byte 5-gram, interpolated Kneser-Ney, trained on every ${everyNth}th line of the English corpus (${mb(sample.bytes)} of ${mb(sample.totalBytes)} MB)`;
  const value = { lm, description, seconds: (performance.now() - t0) / 1000 };
  cached = { key, value };
  return value;
}

/** Bits per byte of documents under the byte LM. */
export function byteLmBitsPerByte(lm: KneserNeyByteLM, documents: readonly string[]): number {
  let bits = 0;
  let bytes = 0;
  for (const d of documents) {
    const b = Buffer.from(d, 'utf8');
    bits += lm.bits(b);
    bytes += b.length;
  }
  return bits / bytes;
}
