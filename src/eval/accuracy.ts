/** Accuracy: the fraction of predictions equal to their gold label. */
export function accuracy<T>(predictions: readonly T[], gold: readonly T[]): number {
  if (predictions.length !== gold.length) throw new Error(`accuracy: ${predictions.length} predictions but ${gold.length} gold labels`);
  if (gold.length === 0) return NaN;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (predictions[i] === gold[i]) correct++;
  return correct / gold.length;
}

/**
 * Token accuracy: over all tokens of all sequences (micro-average, each token counts once),
 * the fraction whose predicted tag equals the gold tag. A sequence's prediction must have its
 * gold's length; a missing prediction (null) counts as wrong.
 */
export function tokenAccuracy<T>(predictions: readonly (readonly (T | null)[])[], gold: readonly (readonly T[])[]): { accuracy: number; tokens: number } {
  if (predictions.length !== gold.length) throw new Error(`tokenAccuracy: ${predictions.length} predicted sequences but ${gold.length} gold ones`);
  let correct = 0;
  let tokens = 0;
  for (let s = 0; s < gold.length; s++) {
    if (predictions[s].length !== gold[s].length) throw new Error(`tokenAccuracy: sequence ${s} has ${predictions[s].length} predictions for ${gold[s].length} tokens`);
    for (let t = 0; t < gold[s].length; t++) {
      tokens++;
      if (predictions[s][t] !== null && predictions[s][t] === gold[s][t]) correct++;
    }
  }
  return { accuracy: tokens === 0 ? NaN : correct / tokens, tokens };
}
