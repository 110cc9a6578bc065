/**
 * T5's span-corruption objective (Raffel et al. 2020, section 3.1.4), as transformers'
 * run_t5_mlm_flax collator: about `noiseDensity` (15%) of the tokens are dropped in spans of mean
 * length `meanNoiseSpanLength` (3). The input keeps the other tokens and replaces each dropped span
 * by one sentinel (<extra_id_0>, <extra_id_1>, ...); the target lists the sentinels, each followed
 * by the tokens it replaced, then a final sentinel. Both end with </s>:
 *
 *   original: Thank you for inviting me to your party last week .
 *   input:    Thank you <extra_id_0> me to your party <extra_id_1> week . </s>
 *   target:   <extra_id_0> for inviting <extra_id_1> last <extra_id_2> </s>
 */
import { OptionError } from '../../errors.js';
import type { Generator } from '../../tensor/index.js';
import type { Example } from '../data/example.js';
import { IGNORE_INDEX, padRows } from './padding.js';
import type { Batch, Collator } from './types.js';

export interface SpanCorruptionOptions {
  padTokenId: number;
  eosTokenId: number;
  /** The id of <extra_id_k>. */
  sentinelId: (k: number) => number;
  noiseDensity?: number;
  meanNoiseSpanLength?: number;
}

/** numpy's round (half to even), which the reference implementation uses for span counts. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Splits `items` into `segments` non-empty parts of random lengths (uniform over the cut points). */
function randomSegmentation(items: number, segments: number, generator: Generator): number[] {
  const cuts = Array.from({ length: items - 1 }, (_, i) => i);
  for (let i = cuts.length - 1; i > 0; i--) {
    const j = generator.randint(0, i + 1);
    [cuts[i], cuts[j]] = [cuts[j], cuts[i]];
  }
  const chosen = cuts.slice(0, segments - 1).sort((a, b) => a - b);
  const lengths: number[] = [];
  let prev = -1;
  for (const c of chosen) { lengths.push(c - prev); prev = c; }
  lengths.push(items - 1 - prev);
  return lengths;
}

/**
 * The noise mask of a sequence of `length` tokens: true = dropped. Spans of noise and non-noise
 * alternate, starting with non-noise, as in random_spans_noise_mask.
 */
export function randomSpansNoiseMask(length: number, noiseDensity: number, meanSpan: number, generator: Generator): boolean[] {
  let noise = roundHalfEven(length * noiseDensity);
  noise = Math.min(Math.max(noise, 1), length - 1);
  const nonNoise = length - noise;
  const spans = Math.max(1, roundHalfEven(Math.min(noise, nonNoise) / meanSpan));
  const noiseLengths = randomSegmentation(noise, spans, generator);
  const keepLengths = randomSegmentation(nonNoise, spans, generator);
  const mask: boolean[] = [];
  for (let s = 0; s < spans; s++) {
    for (let i = 0; i < keepLengths[s]; i++) mask.push(false);
    for (let i = 0; i < noiseLengths[s]; i++) mask.push(true);
  }
  return mask;
}

/** Keeps the tokens where `drop` is false; each run of dropped tokens becomes the next sentinel. */
function replaceSpans(ids: readonly number[], drop: readonly boolean[], sentinelId: (k: number) => number): number[] {
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < ids.length; i++) {
    if (!drop[i]) out.push(ids[i]);
    else if (i === 0 || !drop[i - 1]) out.push(sentinelId(k++));
  }
  return out;
}

export class SpanCorruptionCollator implements Collator {
  readonly noiseDensity: number;
  readonly meanNoiseSpanLength: number;

  constructor(readonly options: SpanCorruptionOptions) {
    this.noiseDensity = options.noiseDensity ?? 0.15;
    this.meanNoiseSpanLength = options.meanNoiseSpanLength ?? 3;
    if (!(this.noiseDensity > 0 && this.noiseDensity < 1)) throw new OptionError(`noiseDensity must be in (0, 1), got ${this.noiseDensity}`);
    if (!(this.meanNoiseSpanLength >= 1)) throw new OptionError(`meanNoiseSpanLength must be >= 1, got ${this.meanNoiseSpanLength}`);
  }

  /** Corrupts one sequence: the encoder input and the decoder target. */
  corrupt(ids: readonly number[], generator: Generator): { inputIds: number[]; labels: number[] } {
    if (ids.length < 2) throw new OptionError('span corruption needs sequences of at least 2 tokens');
    const noise = randomSpansNoiseMask(ids.length, this.noiseDensity, this.meanNoiseSpanLength, generator);
    const keep = noise.map((n) => !n);
    return {
      inputIds: [...replaceSpans(ids, noise, this.options.sentinelId), this.options.eosTokenId],
      labels: [...replaceSpans(ids, keep, this.options.sentinelId), this.options.eosTokenId],
    };
  }

  collate(examples: readonly Example[], generator: Generator): Batch {
    const corrupted = examples.map((e) => this.corrupt(e.inputIds, generator));
    return {
      inputIds: padRows(corrupted.map((c) => c.inputIds), this.options.padTokenId),
      attentionMask: padRows(corrupted.map((c) => c.inputIds.map(() => 1)), 0),
      labels: padRows(corrupted.map((c) => c.labels), IGNORE_INDEX),
    };
  }
}
