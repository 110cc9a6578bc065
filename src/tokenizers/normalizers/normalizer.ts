import type { NormalizedString } from '../normalized-string.js';

/** First stage of the pipeline: rewrites text (lowercase, accents, Unicode forms, ...) keeping alignments. */
export interface Normalizer {
  normalize(input: NormalizedString): NormalizedString;
  /** The same text as normalize() gives, without tracking alignments (the ids-only fast path). */
  normalizeString(text: string): string;
  /** The tokenizer.json object that recreates this normalizer. */
  toJSON(): Record<string, unknown>;
}
