/**
 * Corpus BLEU (Papineni et al. 2002, "BLEU: a Method for Automatic Evaluation of Machine
 * Translation"), with one reference per sentence, computed as sacrebleu computes it by default:
 *
 *   p_n  = sum over sentences of clipped n-gram matches / sum of hypothesis n-grams   (n = 1..4)
 *   BP   = 1 if c > r, else exp(1 - r / c)       c, r: total hypothesis and reference lengths
 *   BLEU = 100 * BP * exp( (1/4) * sum_n log p_n )
 *
 * "Clipped": an n-gram counts as matched at most as often as it occurs in the reference.
 * Statistics are summed over the corpus before dividing (corpus BLEU, not a mean of sentence
 * BLEUs). sacrebleu's default smoothing "exp" (method 3 of Chen & Cherry 2014, as in
 * mteval-v13a) is applied: the k-th order with zero matches gets precision 1 / (2^k * total_n).
 * With no match at all the score is 0; with no hypothesis n-grams of some order (a corpus shorter
 * than 4 tokens) that precision is 0 and so is the score; an empty hypothesis corpus scores 0.
 */
import { tokenizerFor, type BleuTokenizer } from './tokenize-bleu.js';

export const BLEU_MAX_ORDER = 4;

export interface BleuStatistics {
  /** matches[n-1]: clipped n-gram matches. */
  matches: number[];
  /** totals[n-1]: hypothesis n-grams. */
  totals: number[];
  hypothesisLength: number;
  referenceLength: number;
}

export interface BleuResult extends BleuStatistics {
  score: number;
  /** Per-order precisions in percent (after smoothing). */
  precisions: number[];
  brevityPenalty: number;
}

/** Counts of the n-grams of one order, keyed by the tokens joined with a separator no token has. */
function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Adds one sentence pair (already tokenized) to the statistics. */
export function addBleuSentence(stats: BleuStatistics, hypothesis: readonly string[], reference: readonly string[]): void {
  stats.hypothesisLength += hypothesis.length;
  stats.referenceLength += reference.length;
  for (let n = 1; n <= BLEU_MAX_ORDER; n++) {
    const hyp = ngramCounts(hypothesis, n);
    const ref = ngramCounts(reference, n);
    let matched = 0;
    for (const [gram, count] of hyp) matched += Math.min(count, ref.get(gram) ?? 0);
    stats.matches[n - 1] += matched;
    stats.totals[n - 1] += Math.max(0, hypothesis.length - n + 1);
  }
}

export function emptyBleuStatistics(): BleuStatistics {
  return { matches: new Array(BLEU_MAX_ORDER).fill(0), totals: new Array(BLEU_MAX_ORDER).fill(0), hypothesisLength: 0, referenceLength: 0 };
}

/** The score from summed statistics (the formula above). */
export function bleuFromStatistics(stats: BleuStatistics): BleuResult {
  const { matches, totals, hypothesisLength: c, referenceLength: r } = stats;
  const brevityPenalty = c === 0 ? 0 : c < r ? Math.exp(1 - r / c) : 1;
  const precisions = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const result = (score: number): BleuResult => ({ ...stats, matches: [...matches], totals: [...totals], score, precisions, brevityPenalty });
  if (matches.every((m) => m === 0)) return result(0);
  let smooth = 1;
  let logSum = 0;
  for (let n = 0; n < BLEU_MAX_ORDER; n++) {
    if (totals[n] === 0) return result(0);
    if (matches[n] === 0) {
      smooth *= 2;
      precisions[n] = 100 / (smooth * totals[n]);
    } else {
      precisions[n] = (100 * matches[n]) / totals[n];
    }
    logSum += Math.log(precisions[n]);
  }
  return result(brevityPenalty * Math.exp(logSum / BLEU_MAX_ORDER));
}

/** Corpus BLEU of hypotheses against one reference each. */
export function corpusBleu(hypotheses: readonly string[], references: readonly string[], tokenizer: BleuTokenizer = '13a'): BleuResult {
  if (hypotheses.length !== references.length) throw new Error(`corpusBleu: ${hypotheses.length} hypotheses but ${references.length} references`);
  const tokenize = tokenizerFor(tokenizer);
  const stats = emptyBleuStatistics();
  for (let i = 0; i < hypotheses.length; i++) addBleuSentence(stats, tokenize(hypotheses[i]), tokenize(references[i]));
  return bleuFromStatistics(stats);
}
