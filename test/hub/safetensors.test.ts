import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError } from '../../src/errors.js';
import { openSafetensors, readSafetensors } from '../../src/hub/safetensors.js';
import { writeSafetensors, type TensorToWrite } from '../../src/hub/safetensors-write.js';
import { FIXTURES, rawSafetensors, tempDir, writeRaw } from './helpers.js';

const dir = tempDir();

/** Values that float16 and bfloat16 hold exactly, so every dtype round-trips bit for bit. */
function exactFloats(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i % 7) * 0.25 - 0.75 + (i % 3) * 2);
}

test('round trip: F32, F16, BF16 floats and I64, I32 integers', () => {
  const ints = Int32Array.from([0, 1, -1, 2147483647, -2147483648, 42]);
  for (const dtype of ['F32', 'F16', 'BF16'] as const) {
    const tensors = new Map<string, TensorToWrite>([
      ['b.weight', { shape: [3, 4], data: exactFloats(12) }],
      ['a.bias', { shape: [4], data: exactFloats(4) }],
      ['ids', { shape: [2, 3], data: ints }],
      ['ids32', { shape: [6], data: ints, dtype: 'I32' }],
      ['scalar', { shape: [], data: Float32Array.of(3.5) }],
      ['empty', { shape: [0, 5], data: new Float32Array(0) }],
    ]);
    const path = join(dir, `rt-${dtype}.safetensors`);
    writeSafetensors(path, tensors, { note: 'hi' }, { dtype });
    const back = readSafetensors(path);
    assert.deepEqual(back.metadata, { format: 'pt', note: 'hi' });
    for (const [name, t] of tensors) {
      const r = back.tensors.get(name)!;
      assert.deepEqual(r.shape, t.shape, name);
      assert.deepEqual(r.data, t.data, name);
      const expected = t.data instanceof Int32Array ? (t.dtype === 'I32' ? 'I32' : 'I64') : dtype;
      assert.equal(r.dtype, expected, name);
    }
    // Integers (8 bytes) come first, then floats; names sorted within a dtype.
    assert.deepEqual([...back.tensors.keys()], dtype === 'F32'
      ? ['ids', 'a.bias', 'b.weight', 'empty', 'ids32', 'scalar']
      : ['ids', 'ids32', 'a.bias', 'b.weight', 'empty', 'scalar']);
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), [], 'no temporary files left');
});

test('writer narrows float32 with round-to-nearest-even', () => {
  const path = join(dir, 'narrow.safetensors');
  writeSafetensors(path, { x: { shape: [3], data: Float32Array.of(1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1) } }, {}, { dtype: 'F16' });
  assert.deepEqual([...readSafetensors(path).tensors.get('x')!.data], [1, 1 + 2 * 2 ** -10, 0.0999755859375]);
});

test('every fixture model.safetensors reads with header names, shapes and dtypes', () => {
  const folders = readdirSync(FIXTURES).filter((f) => existsSync(join(FIXTURES, f, 'model.safetensors')));
  assert.ok(folders.length >= 8, 'fixtures found');
  for (const folder of folders) {
    const path = join(FIXTURES, folder, 'model.safetensors');
    const bytes = readFileSync(path);
    const n = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[] }>;
    const { metadata, tensors } = readSafetensors(path);
    assert.deepEqual(metadata, { format: 'pt' });
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    assert.deepEqual([...tensors.keys()].sort(), names.sort(), folder);
    for (const name of names) {
      const t = tensors.get(name)!;
      assert.equal(t.dtype, header[name]!.dtype, `${folder} ${name}`);
      assert.deepEqual(t.shape, header[name]!.shape, `${folder} ${name}`);
      assert.ok(t.data instanceof Float32Array);
      assert.equal(t.data.length, header[name]!.shape.reduce((a, b) => a * b, 1));
    }
  }
});

/** Decode a fixture tensor independently (DataView, IEEE formulas) for comparison. */
function independentDecode(path: string, name: string): number[] {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  const info = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'))[name] as { dtype: string; data_offsets: [number, number] };
  const view = new DataView(bytes.buffer, bytes.byteOffset + 8 + n + info.data_offsets[0], info.data_offsets[1] - info.data_offsets[0]);
  const out: number[] = [];
  const f32 = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < view.byteLength; i += 2) {
    const h = view.getUint16(i, true);
    if (info.dtype === 'BF16') {
      f32.setUint32(0, h * 65536);
      out.push(f32.getFloat32(0));
    } else {
      const e = (h >> 10) & 31;
      const m = h & 1023;
      const s = h & 0x8000 ? -1 : 1;
      out.push(e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15));
    }
  }
  return out;
}

test('float16 and bfloat16 fixtures upcast exactly', () => {
  for (const folder of ['bert-tiny-base-fp16', 't5-tiny-bf16']) {
    const path = join(FIXTURES, folder, 'model.safetensors');
    const { tensors } = readSafetensors(path);
    let count = 0;
    for (const [name, t] of tensors) {
      assert.deepEqual([...t.data], independentDecode(path, name), `${folder} ${name}`);
      count += t.data.length;
    }
    assert.ok(count > 1000);
  }
});

test('writer output is byte-identical to the fixtures (canonical layout)', () => {
  for (const folder of ['bert-tiny-base-fp16', 't5-tiny-bf16', 'gpt2-tiny', 'bert-tiny-qa']) {
    const path = join(FIXTURES, folder, 'model.safetensors');
    const { tensors } = readSafetensors(path);
    const dtype = [...tensors.values()][0]!.dtype as 'F32' | 'F16' | 'BF16';
    const out = join(dir, `${folder}.safetensors`);
    writeSafetensors(out, tensors, {}, { dtype });
    assert.ok(readFileSync(out).equals(readFileSync(path)), folder);
  }
});

test('lazy reader reads one tensor at a time by its offsets', () => {
  const path = join(FIXTURES, 'gpt2-tiny', 'model.safetensors');
  const file = openSafetensors(path);
  try {
    assert.equal(file.names()[0], 'transformer.h.0.attn.c_attn.bias');
    const info = file.info('transformer.wte.weight');
    assert.equal(info.dtype, 'F32');
    const t = file.read('transformer.wte.weight');
    assert.deepEqual(t.shape, info.shape);
    assert.deepEqual(t.data, readSafetensors(path).tensors.get('transformer.wte.weight')!.data);
    assert.throws(() => file.read('nope'), (e: Error) => e instanceof FileFormatError && e.message.includes('"nope"'));
  } finally {
    file.close();
  }
});

test('other dtypes: F64, I16, U8, BOOL, U32 and I64 narrowing', () => {
  const data = Buffer.alloc(8 + 4 + 2 + 2 + 4 + 16);
  data.writeDoubleLE(0.1, 0);
  data.writeInt16LE(-300, 8);
  data.writeInt16LE(7, 10);
  data.writeUInt8(200, 12);
  data.writeUInt8(1, 13);
  data.writeUInt8(0, 14);
  data.writeUInt8(1, 15);
  data.writeUInt32LE(123, 16);
  data.writeBigInt64LE(-5n, 20);
  data.writeBigInt64LE(2n ** 31n, 28);
  const header = {
    f: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
    s: { dtype: 'I16', shape: [2], data_offsets: [8, 12] },
    u: { dtype: 'U8', shape: [1], data_offsets: [12, 13] },
    b: { dtype: 'BOOL', shape: [3], data_offsets: [13, 16] },
    w: { dtype: 'U32', shape: [1], data_offsets: [16, 20] },
    ok: { dtype: 'I64', shape: [1], data_offsets: [20, 28] },
    big: { dtype: 'I64', shape: [1], data_offsets: [28, 36] },
  };
  const path = writeRaw(dir, 'mixed.safetensors', rawSafetensors(header, data));
  const file = openSafetensors(path);
  try {
    assert.deepEqual([...file.read('f').data], [Math.fround(0.1)]);
    assert.deepEqual([...file.read('s').data], [-300, 7]);
    assert.deepEqual([...file.read('u').data], [200]);
    assert.deepEqual([...file.read('b').data], [1, 0, 1]);
    assert.deepEqual([...file.read('w').data], [123]);
    assert.deepEqual([...file.read('ok').data], [-5]);
    assert.throws(
      () => file.read('big'),
      (e: Error) => e instanceof FileFormatError && e.message.includes(path) && e.message.includes('"big"') && e.message.includes('2147483648') && e.message.includes(`byte ${8 + JSON.stringify(header).length + 28}`),
    );
  } finally {
    file.close();
  }
});

test('tensors larger than the conversion chunk round-trip (chunk boundaries)', () => {
  const n = 3_000_001; // > 4 MiB of float16 and > 1M elements per write chunk
  const floats = Float32Array.from({ length: n }, (_, i) => ((i * 7) % 2049) - 1024);
  const ints = Int32Array.from({ length: 700_001 }, (_, i) => (i % 2 ? -i : i));
  for (const dtype of ['F16', 'BF16'] as const) {
    const path = join(dir, `big-${dtype}.safetensors`);
    writeSafetensors(path, { x: { shape: [n], data: floats }, ids: { shape: [ints.length], data: ints } }, {}, { dtype });
    const back = readSafetensors(path).tensors;
    const x = back.get('x')!.data;
    // float16 holds these integers exactly; bfloat16 keeps 8 significant bits.
    const expected = dtype === 'F16' ? floats : floats.map((v) => Math.sign(v) * roundBf16(Math.abs(v)));
    assert.ok(x.every((v, i) => v === expected[i]), dtype);
    assert.deepEqual(back.get('ids')!.data, ints);
  }
});

/** bfloat16 rounding (nearest even) of a non-negative integer below 2^16. */
function roundBf16(v: number): number {
  if (v < 256) return v;
  const step = 2 ** (Math.floor(Math.log2(v)) - 7);
  const q = v / step;
  const lo = Math.floor(q);
  const r = q - lo === 0.5 ? (lo % 2 === 0 ? lo : lo + 1) : Math.round(q);
  return r * step;
}
