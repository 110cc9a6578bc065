import type { NormalizedString } from '../normalized-string.js';

/** Second stage: cuts normalized text into words (and may rewrite them, e.g. bytes to characters). */
export interface PreTokenizer {
  preTokenize(input: NormalizedString): NormalizedString[];
  toJSON(): Record<string, unknown>;
}

/** Cuts `input` at the [start, end) ranges given, dropping what is between them. */
export function sliceRanges(input: NormalizedString, ranges: number[], out: NormalizedString[]): void {
  for (let k = 0; k < ranges.length; k += 2) {
    if (ranges[k + 1] > ranges[k]) out.push(input.slice(ranges[k], ranges[k + 1]));
  }
}
