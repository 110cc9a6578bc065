/**
 * Deterministic order: the same seed gives the same shuffles and the same train/validation split,
 * run after run (Fisher-Yates over Kotoba's seeded Generator).
 */
import { OptionError } from '../../errors.js';
import { Generator } from '../../tensor/index.js';

/** A random permutation of 0..n-1 drawn from `seed`. */
export function permutation(n: number, seed: number): number[] {
  const gen = new Generator(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = gen.randint(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * The order of the training examples in a given epoch: a fresh shuffle per epoch, derived from
 * the run's seed and the epoch number (so a resumed run sees exactly the same order).
 */
export function epochOrder(n: number, seed: number, epoch: number, shuffle = true): number[] {
  if (!shuffle) return Array.from({ length: n }, (_, i) => i);
  return permutation(n, seed * 1009 + epoch + 1);
}

/**
 * Splits n examples into train and validation indices when no validation file is given
 * (like run_mlm's validation_split_percentage): a seeded shuffle, then the first
 * round(n * fraction) (at least 1) go to validation. Both lists keep the file order.
 */
export function trainValidationSplit(n: number, fraction: number, seed: number): { train: number[]; validation: number[] } {
  if (!(fraction > 0 && fraction < 1)) throw new OptionError(`validation split must be in (0, 1), got ${fraction}`);
  if (n < 2) throw new OptionError(`cannot split ${n} example(s) into train and validation; give a validation file or more data`);
  const size = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  const order = permutation(n, seed);
  const validation = order.slice(0, size).sort((a, b) => a - b);
  const held = new Set(validation);
  const train = Array.from({ length: n }, (_, i) => i).filter((i) => !held.has(i));
  return { train, validation };
}
