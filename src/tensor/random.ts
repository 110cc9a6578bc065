/**
 * Seedable random numbers. Every random thing in Kotoba takes a Generator (or uses the default
 * one, reseeded by manualSeed), so the same seed gives the same result on the same backend.
 * The stream is xoshiro128** seeded through splitmix32; it does not reproduce PyTorch's stream.
 */
import { getBackend } from '../backend/index.js';
import { OptionError } from '../errors.js';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Generator {
  private s = new Uint32Array(4);
  /** A second normal from Box-Muller, kept for the next call. */
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new OptionError(`manualSeed: seed must be a finite number, got ${seed}`);
    // fold seeds beyond 32 bits in, so 2**32 and 0 differ
    const next = splitmix32((seed >>> 0) ^ Math.floor(seed / 4294967296));
    for (let i = 0; i < 4; i++) this.s[i] = next();
    this.spareNormal = null;
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills `out` with a dropout mask: `keep` where the element survives (a uniform draw in [0, 1) is
   * at least p), 0 where it is dropped. One 32-bit draw per element (p is resolved to 2^-32), the
   * draws nextUint32 would give, in order; run by the backend (a kernel: this covers every
   * activation of a training step with dropout).
   */
  dropoutMask(out: Float32Array, p: number, keep: number): void {
    const threshold = Math.ceil(p * 4294967296); // draw / 2^32 >= p  <=>  draw >= ceil(p * 2^32)
    getBackend().dropoutMask(this.s, out, threshold, keep);
  }

  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }

  /** The generator's full state, for checkpoints (resume gives the same stream). */
  getState(): number[] {
    return [...this.s, this.spareNormal === null ? NaN : this.spareNormal];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 5) throw new OptionError(`Generator.setState: expected 5 numbers, got ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i] >>> 0;
    this.spareNormal = Number.isNaN(state[4]) ? null : state[4];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The generator used when none is passed. */
export const defaultGenerator = new Generator(0);

/** Reseeds the default generator (torch.manual_seed). */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}
