/**
 * The random stream behind Generator (src/tensor/random.ts) and the reference backend's random
 * kernels, in one place: xoshiro128** (Blackman and Vigna) over a 4-word state, 53-bit uniforms
 * from two draws, and Box-Muller normals. native/random.cc repeats these steps in C++ (parity
 * tests hold the two together).
 */

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The next 32-bit draw (an unsigned integer); advances the state in place. */
export function nextUint32(s: Uint32Array): number {
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

/** Uniform in [0, 1) with 53 random bits (27 from one draw, 26 from the next). */
export function nextUniform53(s: Uint32Array): number {
  const hi = nextUint32(s) >>> 5;
  const lo = nextUint32(s) >>> 6;
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** Two independent standard normals by Box-Muller into pair: r cos(2 pi v), then r sin(2 pi v). */
export function nextNormalPair(s: Uint32Array, pair: Float64Array): void {
  let u = 0;
  while (u === 0) u = nextUniform53(s);
  const v = nextUniform53(s);
  const r = Math.sqrt(-2 * Math.log(u));
  const angle = 2 * Math.PI * v;
  pair[0] = r * Math.cos(angle);
  pair[1] = r * Math.sin(angle);
}
