/**
 * Helpers for the native-vs-reference parity tests: a seeded generator and a comparison that
 * reports the worst element against a per-element tolerance.
 */
import assert from 'node:assert/strict';

/** float32 unit roundoff: one rounding of a float32 operation errs by at most u relative. */
export const U = 2 ** -24;

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal(0, scale) floats. */
export function randn(r: () => number, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - r();
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  }
  return out;
}

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/**
 * Asserts |actual - expected| <= tol(i) for every element (NaN must match NaN, infinities must
 * match exactly), naming the worst offender.
 */
export function assertClose(
  actual: ArrayLike<number>, expected: ArrayLike<number>, tol: (i: number) => number, what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
  let worst = -1;
  let worstRatio = 1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || !Number.isFinite(a)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) { worst = i; worstRatio = Infinity; break; }
      continue;
    }
    const ratio = Math.abs(a - e) / tol(i);
    if (ratio > worstRatio) { worstRatio = ratio; worst = i; }
  }
  if (worst >= 0) {
    assert.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (tolerance ${tol(worst)}, ${worstRatio.toFixed(1)}x over)`);
  }
}

/** Largest |x| of an array (at least tiny, so that tolerances scaled by it stay positive). */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 1e-30;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) > m) m = Math.abs(x[i]);
  return m;
}
