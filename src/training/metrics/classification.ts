/** Accuracy and macro-averaged F1 (sklearn's f1_score(average='macro')) over class ids. */

export function accuracy(predictions: readonly number[], references: readonly number[]): number {
  if (predictions.length === 0) return 0;
  let right = 0;
  predictions.forEach((p, i) => { if (p === references[i]) right++; });
  return right / predictions.length;
}

/**
 * The unweighted mean of the per-class F1 scores, over every class that appears in the
 * predictions or the references (a class never predicted and never present does not count;
 * a class with no true positives scores 0, as sklearn with zero_division=0).
 */
export function macroF1(predictions: readonly number[], references: readonly number[]): number {
  const classes = new Set([...predictions, ...references]);
  if (classes.size === 0) return 0;
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    predictions.forEach((p, i) => {
      const r = references[i];
      if (p === c && r === c) tp++;
      else if (p === c) fp++;
      else if (r === c) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes.size;
}
