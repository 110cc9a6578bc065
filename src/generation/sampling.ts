/**
 * Picking the next token from processed scores: argmax (greedy) or a draw from softmax(scores)
 * (torch.multinomial with one sample). Draws come from a seeded Generator, so the same seed
 * gives the same tokens; the stream is Kotoba's own and does not reproduce PyTorch's.
 */
import { argmax, defaultGenerator, softmax, type Generator, type Tensor } from '../tensor/index.js';

/** The highest-scoring token of each row (the first one on ties, as torch.argmax). */
export function greedyTokens(scores: Tensor): number[] {
  return Array.from(argmax(scores, -1).contiguousData());
}

/** One token per row drawn with probability softmax(scores); -inf scores are never drawn. */
export function sampleTokens(scores: Tensor, generator: Generator | null): number[] {
  const probs = softmax(scores, -1).contiguousData() as Float32Array;
  const vocab = scores.shape[scores.ndim - 1];
  const rows = probs.length / vocab;
  const gen = generator ?? defaultGenerator;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = probs.subarray(r * vocab, (r + 1) * vocab);
    let total = 0;
    for (let i = 0; i < vocab; i++) total += row[i];
    const target = gen.random() * total;
    let acc = 0;
    let pick = -1;
    for (let i = 0; i < vocab; i++) {
      if (row[i] <= 0) continue;
      acc += row[i];
      pick = i;
      if (acc > target) break;
    }
    out.push(pick < 0 ? 0 : pick);
  }
  return out;
}
