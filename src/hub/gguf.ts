/**
 * A small GGUF (version 3) writer and header reader, the file format of llama.cpp and ollama.
 * Layout, all little-endian (ggml's docs/gguf.md):
 *
 *   magic "GGUF" | u32 version = 3 | u64 tensor count | u64 metadata count
 *   metadata: { string key | u32 value type | value }*
 *   tensor infos: { string name | u32 n_dims | u64 dims[n_dims] (innermost first) | u32 ggml type | u64 offset }*
 *   padding to `general.alignment` (default 32)
 *   tensor data, each tensor starting at a multiple of the alignment (offsets relative to here)
 *
 * Strings are a u64 byte length followed by UTF-8 bytes (no terminator). Arrays are a u32 item
 * type, a u64 count and the items. The file is written under a temporary name and renamed.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { FileFormatError } from '../errors.js';
import { writeAll, writeFileAtomic } from './atomic.js';
import { float32ToFloat16 } from './half.js';

/** gguf_metadata_value_type. */
export const GGUF_TYPE = {
  uint8: 0, int8: 1, uint16: 2, int16: 3, uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9, uint64: 10, int64: 11, float64: 12,
} as const;
export type GgufScalarType = Exclude<keyof typeof GGUF_TYPE, 'array'>;

/** ggml_type of the tensor data Kotoba writes. */
export const GGML_TYPE = { F32: 0, F16: 1 } as const;
export type GgmlType = keyof typeof GGML_TYPE;

export type GgufMetadataValue =
  | { type: GgufScalarType; value: number | bigint | boolean | string }
  | { type: 'array'; itemType: GgufScalarType; value: readonly (number | bigint | boolean | string)[] };

export interface GgufTensor {
  name: string;
  /** Row-major shape, outermost first (as PyTorch); written innermost first, as ggml's ne[]. */
  shape: readonly number[];
  type: GgmlType;
  /** float32 values, converted to `type` on write. */
  data: Float32Array;
}

export interface GgufContents {
  metadata: ReadonlyMap<string, GgufMetadataValue>;
  tensors: readonly GgufTensor[];
  alignment?: number;
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const VERSION = 3;

/** A growable little-endian byte buffer for the header. */
class ByteWriter {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  u8(v: number): void { this.reserve(1); this.buf.writeUInt8(v, this.length); this.length += 1; }
  i8(v: number): void { this.reserve(1); this.buf.writeInt8(v, this.length); this.length += 1; }
  u16(v: number): void { this.reserve(2); this.buf.writeUInt16LE(v, this.length); this.length += 2; }
  i16(v: number): void { this.reserve(2); this.buf.writeInt16LE(v, this.length); this.length += 2; }
  u32(v: number): void { this.reserve(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  i32(v: number): void { this.reserve(4); this.buf.writeInt32LE(v, this.length); this.length += 4; }
  f32(v: number): void { this.reserve(4); this.buf.writeFloatLE(v, this.length); this.length += 4; }
  f64(v: number): void { this.reserve(8); this.buf.writeDoubleLE(v, this.length); this.length += 8; }
  u64(v: number | bigint): void { this.reserve(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
  i64(v: number | bigint): void { this.reserve(8); this.buf.writeBigInt64LE(BigInt(v), this.length); this.length += 8; }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.reserve(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Buffer { return this.buf.subarray(0, this.length); }
}

function writeScalar(w: ByteWriter, type: GgufScalarType, v: number | bigint | boolean | string, key: string): void {
  const bad = () => new FileFormatError(`GGUF metadata "${key}": ${JSON.stringify(String(v))} is not a valid ${type}`);
  if (type === 'string') { if (typeof v !== 'string') throw bad(); w.str(v); return; }
  if (type === 'bool') { if (typeof v !== 'boolean') throw bad(); w.u8(v ? 1 : 0); return; }
  if (type === 'uint64' || type === 'int64') {
    if (typeof v !== 'number' && typeof v !== 'bigint') throw bad();
    if (type === 'uint64') w.u64(v); else w.i64(v);
    return;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad();
  switch (type) {
    case 'uint8': w.u8(v); break;
    case 'int8': w.i8(v); break;
    case 'uint16': w.u16(v); break;
    case 'int16': w.i16(v); break;
    case 'uint32': w.u32(v); break;
    case 'int32': w.i32(v); break;
    case 'float32': w.f32(v); break;
    case 'float64': w.f64(v); break;
  }
}

const bytesPerElement = (t: GgmlType) => (t === 'F32' ? 4 : 2);
const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** The header bytes (through the padding before the data) and each tensor's data offset. */
export function encodeGgufHeader(contents: GgufContents): { header: Buffer; offsets: number[]; alignment: number } {
  const metadata = new Map(contents.metadata);
  const alignment = contents.alignment ?? 32;
  if (alignment !== 32) metadata.set('general.alignment', { type: 'uint32', value: alignment });
  const w = new ByteWriter();
  w.u32(MAGIC);
  w.u32(VERSION);
  w.u64(contents.tensors.length);
  w.u64(metadata.size);
  for (const [key, entry] of metadata) {
    w.str(key);
    w.u32(GGUF_TYPE[entry.type]);
    if (entry.type === 'array') {
      w.u32(GGUF_TYPE[entry.itemType]);
      w.u64(entry.value.length);
      for (const item of entry.value) writeScalar(w, entry.itemType, item, key);
    } else {
      writeScalar(w, entry.type, entry.value, key);
    }
  }
  const offsets: number[] = [];
  let offset = 0;
  const names = new Set<string>();
  for (const t of contents.tensors) {
    if (names.has(t.name)) throw new FileFormatError(`GGUF: tensor name "${t.name}" appears twice`);
    names.add(t.name);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (numel !== t.data.length) throw new FileFormatError(`GGUF: tensor "${t.name}" has shape [${t.shape.join(', ')}] but ${t.data.length} values`);
    w.str(t.name);
    w.u32(t.shape.length);
    for (let i = t.shape.length - 1; i >= 0; i--) w.u64(t.shape[i]);
    w.u32(GGML_TYPE[t.type]);
    w.u64(offset);
    offsets.push(offset);
    offset = align(offset + numel * bytesPerElement(t.type), alignment);
  }
  w.pad(alignment);
  return { header: w.bytes(), offsets, alignment };
}

/** Writes a GGUF file atomically (temporary name, fsync, rename). */
export function writeGguf(path: string, contents: GgufContents): void {
  const { header, alignment } = encodeGgufHeader(contents);
  writeFileAtomic(path, (fd) => {
    writeAll(fd, header);
    for (const t of contents.tensors) {
      let bytes: Uint8Array;
      if (t.type === 'F32') {
        bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      } else {
        const half = new Uint16Array(t.data.length);
        float32ToFloat16(t.data, half);
        bytes = new Uint8Array(half.buffer);
      }
      writeAll(fd, bytes);
      const pad = align(bytes.length, alignment) - bytes.length;
      if (pad > 0) writeAll(fd, new Uint8Array(pad));
    }
  });
}

export interface GgufTensorInfo {
  name: string;
  /** Outermost first (reversed from the file's ne[] order). */
  shape: number[];
  type: number;
  offset: number;
}

/** Reads a GGUF file's metadata and tensor infos (not the data): for checks and tests. */
export function readGgufHeader(path: string): { version: number; metadata: Map<string, unknown>; tensors: GgufTensorInfo[]; dataOffset: number } {
  const fd = openSync(path, 'r');
  try {
    let pos = 0;
    let buf = Buffer.alloc(0);
    const need = (n: number) => {
      if (pos + n <= buf.length) return;
      const more = Buffer.alloc(Math.max(n, 1 << 20));
      const got = readSync(fd, more, 0, more.length, buf.length);
      if (got === 0 && pos + n > buf.length) throw new FileFormatError(`${path}: the GGUF header ends early at byte ${buf.length}`);
      buf = Buffer.concat([buf, more.subarray(0, got)]);
      need(n);
    };
    const u32 = () => { need(4); const v = buf.readUInt32LE(pos); pos += 4; return v; };
    const u64 = () => { need(8); const v = Number(buf.readBigUInt64LE(pos)); pos += 8; return v; };
    const str = () => { const n = u64(); need(n); const s = buf.toString('utf8', pos, pos + n); pos += n; return s; };
    const scalar = (type: number): unknown => {
      switch (type) {
        case 0: need(1); return buf.readUInt8(pos++);
        case 1: need(1); return buf.readInt8(pos++);
        case 2: { need(2); const v = buf.readUInt16LE(pos); pos += 2; return v; }
        case 3: { need(2); const v = buf.readInt16LE(pos); pos += 2; return v; }
        case 4: return u32();
        case 5: { need(4); const v = buf.readInt32LE(pos); pos += 4; return v; }
        case 6: { need(4); const v = buf.readFloatLE(pos); pos += 4; return v; }
        case 7: need(1); return buf.readUInt8(pos++) !== 0;
        case 8: return str();
        case 10: return u64();
        case 11: { need(8); const v = Number(buf.readBigInt64LE(pos)); pos += 8; return v; }
        case 12: { need(8); const v = buf.readDoubleLE(pos); pos += 8; return v; }
        default: throw new FileFormatError(`${path}: unknown GGUF value type ${type} at byte ${pos - 4}`);
      }
    };
    if (u32() !== MAGIC) throw new FileFormatError(`${path}: not a GGUF file (bad magic)`);
    const version = u32();
    const tensorCount = u64();
    const kvCount = u64();
    const metadata = new Map<string, unknown>();
    for (let i = 0; i < kvCount; i++) {
      const key = str();
      const type = u32();
      if (type === 9) {
        const itemType = u32();
        const n = u64();
        metadata.set(key, Array.from({ length: n }, () => scalar(itemType)));
      } else {
        metadata.set(key, scalar(type));
      }
    }
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = str();
      const dims = Array.from({ length: u32() }, () => u64());
      tensors.push({ name, shape: dims.reverse(), type: u32(), offset: u64() });
    }
    const alignment = (metadata.get('general.alignment') as number | undefined) ?? 32;
    return { version, metadata, tensors, dataOffset: align(pos, alignment) };
  } finally {
    closeSync(fd);
  }
}
