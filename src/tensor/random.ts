/**
 * Seedable random numbers. Every random thing in Kotoba takes a Generator (or uses the default
 * one, reseeded by manualSeed), so the same seed gives the same result on the same backend.
 * The stream is xoshiro128** (src/tensor/xoshiro.ts) seeded through splitmix32; it does not
 * reproduce PyTorch's stream.
 */
import { getBackend } from '../backend/index.js';
import { OptionError } from '../errors.js';
import { nextNormalPair, nextUint32, nextUniform53 } from './xoshiro.js';

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
  private readonly pair = new Float64Array(2);

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
    return nextUint32(this.s);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    return nextUniform53(this.s);
  }

  /** Standard normal (Box-Muller: each pair's second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    nextNormalPair(this.s, this.pair);
    this.spareNormal = this.pair[1];
    return this.pair[0];
  }

  /**
   * out[i] = mean + std * normal(), the values normal() would give one by one (up to a rare
   * last-bit difference on the native backend, whose log/cos/sin are the C library's), run by the
   * backend: initialising GPT-2 small draws 124M of them.
   */
  fillNormal(out: Float32Array, mean = 0, std = 1): void {
    const spare = getBackend().normalFill(this.s, out, mean, std, this.spareNormal ?? NaN);
    this.spareNormal = Number.isNaN(spare) ? null : spare;
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

/** The generator used when none is passed. */
export const defaultGenerator = new Generator(0);

/** Reseeds the default generator (torch.manual_seed). */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}
