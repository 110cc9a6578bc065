/**
 * SQuAD's exact match and token F1 (the official evaluation script's rules): answers are
 * lower-cased, punctuation and the articles a/an/the removed and whitespace collapsed before
 * comparing; each prediction scores its best match among the reference answers.
 */

export function normalizeAnswer(s: string): string {
  return s
    .toLowerCase()
    .replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

export function exactMatch(prediction: string, truth: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(truth) ? 1 : 0;
}

export function tokenF1(prediction: string, truth: string): number {
  const p = normalizeAnswer(prediction).split(' ').filter(Boolean);
  const t = normalizeAnswer(truth).split(' ').filter(Boolean);
  if (p.length === 0 || t.length === 0) return p.length === t.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of t) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of p) {
    const c = counts.get(w) ?? 0;
    if (c > 0) { common++; counts.set(w, c - 1); }
  }
  if (common === 0) return 0;
  const precision = common / p.length;
  const recall = common / t.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Mean exact match and F1 (both 0..100, as the SQuAD script reports them). */
export function squadScores(predictions: readonly string[], answers: readonly (readonly string[])[]): { exactMatch: number; f1: number } {
  if (predictions.length === 0) return { exactMatch: 0, f1: 0 };
  let em = 0;
  let f1 = 0;
  predictions.forEach((p, i) => {
    const truths = answers[i].length ? answers[i] : [''];
    em += Math.max(...truths.map((t) => exactMatch(p, t)));
    f1 += Math.max(...truths.map((t) => tokenF1(p, t)));
  });
  return { exactMatch: (100 * em) / predictions.length, f1: (100 * f1) / predictions.length };
}
