import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bfloat16ToFloat32, float16ToFloat32, float32BitsToBfloat16, float32BitsToFloat16, float32ToFloat16 } from '../../src/hub/half.js';

/** Reference float16 decode straight from the IEEE definition. */
function decodeF16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function bitsOf(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0]!;
}

test('every float16 pattern upcasts exactly and narrows back to itself', () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const out = new Float32Array(65536);
  float16ToFloat32(all, out);
  const back = new Uint16Array(65536);
  float32ToFloat16(out, back);
  for (let h = 0; h < 65536; h++) {
    const ref = decodeF16(h);
    if (Number.isNaN(ref)) {
      assert.ok(Number.isNaN(out[h]!), `0x${h.toString(16)}`);
      continue;
    }
    assert.ok(Object.is(out[h], ref), `0x${h.toString(16)}: ${out[h]} vs ${ref}`);
    assert.equal(back[h], h, `round trip 0x${h.toString(16)}`);
  }
});

test('float32 -> float16 rounds to nearest, ties to even, like torch', () => {
  const f16 = (x: number) => float32BitsToFloat16(bitsOf(x));
  assert.equal(f16(1 + 2 ** -11), 0x3c00); // halfway between 1 and next: tie to even (1)
  assert.equal(f16(1 + 3 * 2 ** -11), 0x3c02); // halfway, odd below: up
  assert.equal(f16(1 + 2 ** -11 + 2 ** -20), 0x3c01); // just above halfway: up
  assert.equal(f16(65504), 0x7bff); // max
  assert.equal(f16(65520), 0x7c00); // rounds to infinity
  assert.equal(f16(65519.99), 0x7bff);
  assert.equal(f16(2 ** -24), 0x0001); // smallest subnormal
  assert.equal(f16(2 ** -25), 0x0000); // tie -> even (0)
  assert.equal(f16(2 ** -25 * 1.0001), 0x0001);
  assert.equal(f16(3 * 2 ** -25), 0x0002); // tie between 1 and 2 subnormal units -> 2
  assert.equal(f16(2 ** -14 - 2 ** -25), 0x0400); // carries into the smallest normal
  assert.equal(f16(-0), 0x8000);
  assert.equal(f16(-Infinity), 0xfc00);
  assert.equal(f16(NaN), 0x7e00);
});

test('bfloat16: upcast is bits << 16, narrowing rounds to nearest even', () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const out = new Float32Array(65536);
  bfloat16ToFloat32(all, out);
  const outBits = new Uint32Array(out.buffer);
  for (let b = 0; b < 65536; b++) {
    assert.equal(outBits[b], b << 16 >>> 0);
    if (!Number.isNaN(out[b])) assert.equal(float32BitsToBfloat16(outBits[b]!), b);
  }
  const bf = (x: number) => float32BitsToBfloat16(bitsOf(x));
  assert.equal(bf(1 + 2 ** -8), 0x3f80); // tie, even below
  assert.equal(bf(1 + 3 * 2 ** -8), 0x3f82); // tie, odd below -> up
  assert.equal(bf(1 + 2 ** -8 + 2 ** -20), 0x3f81);
  assert.equal(bf(3.4028234663852886e38), 0x7f80); // max float32 rounds to inf
  assert.equal(bf(NaN), 0x7fc0);
});
