/**
 * chrF (Popović 2015, "chrF: character n-gram F-score for automatic MT evaluation"), with
 * sacrebleu's defaults: character n-grams of orders 1..6, beta = 2, whitespace removed before
 * extracting n-grams, no word n-grams (not chrF++), one reference per sentence.
 *
 * Corpus level as in sacrebleu: for each order n the hypothesis n-gram count, the reference
 * n-gram count and the matches (multiset intersection) are summed over all sentences; then
 *   P = mean over orders of matches_n / hyp_n,  R = mean over orders of matches_n / ref_n
 * taking only the orders where both counts are non-zero (the "effective order"), and
 *   chrF = 100 * (1 + beta^2) * P * R / (beta^2 * P + R)     (0 when P + R = 0).
 * Characters are code points.
 */

export const CHRF_ORDER = 6;
export const CHRF_BETA = 2;

export interface ChrfStatistics {
  /** Per order n (index n-1): [hypothesis n-grams, reference n-grams, matches]. */
  orders: [number, number, number][];
}

function charNgrams(chars: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const key = chars.slice(i, i + n).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The characters chrF looks at: whitespace removed. */
export function chrfCharacters(text: string): string[] {
  return Array.from(text.replace(/\s+/gu, ''));
}

export function emptyChrfStatistics(): ChrfStatistics {
  return { orders: Array.from({ length: CHRF_ORDER }, () => [0, 0, 0] as [number, number, number]) };
}

export function addChrfSentence(stats: ChrfStatistics, hypothesis: string, reference: string): void {
  const hyp = chrfCharacters(hypothesis);
  const ref = chrfCharacters(reference);
  for (let n = 1; n <= CHRF_ORDER; n++) {
    const h = charNgrams(hyp, n);
    const r = charNgrams(ref, n);
    let matches = 0;
    for (const [gram, count] of h) matches += Math.min(count, r.get(gram) ?? 0);
    const o = stats.orders[n - 1];
    o[0] += Math.max(0, hyp.length - n + 1);
    o[1] += Math.max(0, ref.length - n + 1);
    o[2] += matches;
  }
}

export function chrfFromStatistics(stats: ChrfStatistics, beta = CHRF_BETA): number {
  let precision = 0;
  let recall = 0;
  let effective = 0;
  for (const [hyp, ref, matches] of stats.orders) {
    if (hyp > 0 && ref > 0) {
      precision += matches / hyp;
      recall += matches / ref;
      effective++;
    }
  }
  if (effective === 0) return 0;
  precision /= effective;
  recall /= effective;
  if (precision + recall === 0) return 0;
  const b2 = beta * beta;
  return (100 * (1 + b2) * precision * recall) / (b2 * precision + recall);
}

/** Corpus chrF2 of hypotheses against one reference each. */
export function corpusChrf(hypotheses: readonly string[], references: readonly string[]): number {
  if (hypotheses.length !== references.length) throw new Error(`corpusChrf: ${hypotheses.length} hypotheses but ${references.length} references`);
  const stats = emptyChrfStatistics();
  for (let i = 0; i < hypotheses.length; i++) addChrfSentence(stats, hypotheses[i], references[i]);
  return chrfFromStatistics(stats);
}
