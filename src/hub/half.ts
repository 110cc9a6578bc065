// Exact conversions between float32 and the 16-bit float formats stored in checkpoints.
// Narrowing rounds to nearest, ties to even, as torch's `.to(torch.float16/bfloat16)` does.

let f16Table: Float32Array | undefined;

/** float16 bits -> float32 for all 65536 patterns (exact: every float16 is a float32). */
function float16Table(): Float32Array {
  if (f16Table) return f16Table;
  const table = new Float32Array(65536);
  const bits = new Uint32Array(table.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) {
      table[h] = mant * 2 ** -24; // zero or subnormal: exact in float32
      if (sign) table[h] = -table[h];
      if (sign && mant === 0) bits[h] = 0x80000000; // keep -0
    } else if (exp === 0x1f) {
      bits[h] = sign | 0x7f800000 | (mant << 13); // inf / NaN (payload kept)
    } else {
      bits[h] = sign | ((exp - 15 + 127) << 23) | (mant << 13);
    }
  }
  f16Table = table;
  return table;
}

/** float16 bits (little-endian u16 values) -> float32, written to out[outOffset...]. */
export function float16ToFloat32(src: Uint16Array, out: Float32Array, outOffset = 0): void {
  const table = float16Table();
  for (let i = 0; i < src.length; i++) out[outOffset + i] = table[src[i]!]!;
}

/** bfloat16 bits -> float32: the bfloat16 is the top half of the float32. */
export function bfloat16ToFloat32(src: Uint16Array, out: Float32Array, outOffset = 0): void {
  const outBits = new Uint32Array(out.buffer, out.byteOffset + outOffset * 4, src.length);
  for (let i = 0; i < src.length; i++) outBits[i] = src[i]! << 16;
}

/** float32 bit pattern -> float16 bits, round to nearest even; NaN becomes 0x7e00 with its sign. */
export function float32BitsToFloat16(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | (mant ? 0x7e00 : 0x7c00);
  const e = exp - 127 + 15; // float16 biased exponent
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> infinity
  if (e <= 0) {
    // float16 subnormal (or zero): value = m * 2^-24
    if (e < -10) return sign; // below half the smallest subnormal
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rem = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rem > half || (rem === half && (h & 1) === 1)) h++; // may carry into the smallest normal: still right
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++; // a carry into the exponent gives inf: right
  return sign | h;
}

/** float32 bit pattern -> bfloat16 bits, round to nearest even; NaN becomes 0x7fc0 (as torch). */
export function float32BitsToBfloat16(bits: number): number {
  if ((bits & 0x7fffffff) > 0x7f800000) return 0x7fc0;
  const bias = 0x7fff + ((bits >>> 16) & 1);
  return ((bits + bias) >>> 16) & 0xffff;
}

export function float32ToFloat16(src: Float32Array, out: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) out[i] = float32BitsToFloat16(bits[i]!);
}

export function float32ToBfloat16(src: Float32Array, out: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) out[i] = float32BitsToBfloat16(bits[i]!);
}
