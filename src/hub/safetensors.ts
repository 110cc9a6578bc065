// Reading safetensors files, one tensor at a time. The file is never read whole: each tensor's
// bytes go straight into its destination array (float32 / int32) or pass through a small
// bounded chunk buffer when they need converting, so peak memory is the result plus one chunk.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FileFormatError, KotobaError } from '../errors.js';
import { DTYPE_SIZE, assertLittleEndian, isFloatDType, type SafetensorsDType } from './dtypes.js';
import { bfloat16ToFloat32, float16ToFloat32 } from './half.js';
import { parseHeader, parseHeaderLength, type SafetensorsHeader, type SafetensorsTensorInfo } from './safetensors-header.js';

/** One tensor in memory: floats of any width as float32, integers and bools as int32. */
export interface LoadedTensor {
  /** The dtype as stored in the file. */
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export interface SafetensorsContents {
  readonly metadata: Readonly<Record<string, string>>;
  /** Tensors in file order. */
  readonly tensors: Map<string, LoadedTensor>;
}

/** Conversion chunk size (bytes, a multiple of every element size). */
const CHUNK_BYTES = 1 << 22;
const MAX_READ = 1 << 30; // readSync takes at most ~2 GiB per call


/** Read every tensor of a safetensors file. */
export function readSafetensors(path: string): SafetensorsContents {
  const file = openSafetensors(path);
  try {
    const tensors = new Map<string, LoadedTensor>();
    for (const name of file.names()) tensors.set(name, file.read(name));
    return { metadata: file.metadata, tensors };
  } finally {
    file.close();
  }
}

/** Open a safetensors file and validate its header; tensors are read on demand. */
export function openSafetensors(path: string): SafetensorsFile {
  return new SafetensorsFile(path);
}

export class SafetensorsFile {
  readonly path: string;
  readonly header: SafetensorsHeader;
  private fd: number | undefined;

  constructor(path: string) {
    this.path = path;
    assertLittleEndian();
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new FileFormatError(`${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
    }
    try {
      const size = fstatSync(fd).size;
      const prefix = new Uint8Array(8);
      if (size >= 8) readFully(fd, prefix, 0, path, 'the header length');
      const n = parseHeaderLength(prefix, size, path);
      const json = new Uint8Array(n);
      readFully(fd, json, 8, path, 'the header');
      this.header = parseHeader(json, size, path);
      this.fd = fd;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  get metadata(): Readonly<Record<string, string>> {
    return this.header.metadata;
  }

  /** Tensor names in file (data) order. */
  names(): string[] {
    return [...this.header.tensors.keys()];
  }

  has(name: string): boolean {
    return this.header.tensors.has(name);
  }

  info(name: string): SafetensorsTensorInfo {
    const info = this.header.tensors.get(name);
    if (!info) throw new FileFormatError(`${this.path}: no tensor named "${name}".`);
    return info;
  }

  /** Read one tensor, converting to float32 / int32. */
  read(name: string): LoadedTensor {
    if (this.fd === undefined) throw new KotobaError(`${this.path}: read("${name}") after close().`);
    const info = this.info(name);
    const numel = info.shape.reduce((a, b) => a * b, 1);
    const start = this.header.dataStart + info.dataOffsets[0];
    const ctx: ReadContext = { fd: this.fd, path: this.path, name, start };
    if (isFloatDType(info.dtype)) {
      const out = new Float32Array(numel);
      if (info.dtype === 'F32') readFully(this.fd, new Uint8Array(out.buffer), start, this.path, `tensor "${name}"`);
      else readConverted(ctx, info.dtype, numel, (raw, from, count) => decodeFloat(info.dtype, raw, out, from, count));
      return { dtype: info.dtype, shape: info.shape, data: out };
    }
    const out = new Int32Array(numel);
    if (info.dtype === 'I32') readFully(this.fd, new Uint8Array(out.buffer), start, this.path, `tensor "${name}"`);
    else readConverted(ctx, info.dtype, numel, (raw, from, count) => decodeInt(ctx, info.dtype, raw, out, from, count));
    return { dtype: info.dtype, shape: info.shape, data: out };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

interface ReadContext {
  readonly fd: number;
  readonly path: string;
  readonly name: string;
  /** Absolute file offset of the tensor's first byte. */
  readonly start: number;
}

/** Read `target.length` bytes at `position`, looping over short reads; EOF is a format error. */
function readFully(fd: number, target: Uint8Array, position: number, path: string, what: string): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, Math.min(target.length - done, MAX_READ), position + done);
    if (n === 0) {
      throw new FileFormatError(`${path}: file ends at byte ${position + done} while reading ${what} (bytes ${position}..${position + target.length}). The file is truncated.`);
    }
    done += n;
  }
}

/** Stream a tensor's bytes through a bounded chunk buffer, handing each chunk to `decode`. */
function readConverted(
  ctx: ReadContext,
  dtype: SafetensorsDType,
  numel: number,
  decode: (raw: ArrayBuffer, fromElement: number, count: number) => void,
): void {
  const size = DTYPE_SIZE[dtype];
  const chunk = new ArrayBuffer(Math.min(CHUNK_BYTES, Math.max(numel * size, 8)));
  const perChunk = chunk.byteLength / size;
  for (let from = 0; from < numel; from += perChunk) {
    const count = Math.min(perChunk, numel - from);
    readFully(ctx.fd, new Uint8Array(chunk, 0, count * size), ctx.start + from * size, ctx.path, `tensor "${ctx.name}"`);
    decode(chunk, from, count);
  }
}

let f8e4m3: Float32Array | undefined;
let f8e5m2: Float32Array | undefined;

function decodeFloat(dtype: SafetensorsDType, raw: ArrayBuffer, out: Float32Array, from: number, count: number): void {
  switch (dtype) {
    case 'F16':
      return float16ToFloat32(new Uint16Array(raw, 0, count), out, from);
    case 'BF16':
      return bfloat16ToFloat32(new Uint16Array(raw, 0, count), out, from);
    case 'F64':
      return out.set(new Float64Array(raw, 0, count), from); // rounds to nearest float32
    case 'F8_E4M3':
      f8e4m3 ??= float8Table(4, 3);
      return lookup(f8e4m3, new Uint8Array(raw, 0, count), out, from);
    case 'F8_E5M2':
      f8e5m2 ??= float8Table(5, 2);
      return lookup(f8e5m2, new Uint8Array(raw, 0, count), out, from);
    default:
      throw new Error(`not a float dtype: ${dtype}`);
  }
}

function lookup(table: Float32Array, src: Uint8Array, out: Float32Array, from: number): void {
  for (let i = 0; i < src.length; i++) out[from + i] = table[src[i]!]!;
}

/**
 * Value of every 8-bit float pattern. E5M2 is IEEE-like (inf and NaN at the top exponent);
 * E4M3 is the "FN" variant torch uses: no infinities, only S.1111.111 is NaN.
 */
function float8Table(expBits: number, mantBits: number): Float32Array {
  const table = new Float32Array(256);
  const bias = (1 << (expBits - 1)) - 1;
  const maxExp = (1 << expBits) - 1;
  for (let b = 0; b < 256; b++) {
    const sign = b & 0x80 ? -1 : 1;
    const exp = (b >> mantBits) & maxExp;
    const mant = b & ((1 << mantBits) - 1);
    let v: number;
    if (expBits === 5 && exp === maxExp) v = mant ? NaN : Infinity;
    else if (expBits === 4 && exp === maxExp && mant === (1 << mantBits) - 1) v = NaN;
    else if (exp === 0) v = mant * 2 ** (1 - bias - mantBits);
    else v = (1 + mant / (1 << mantBits)) * 2 ** (exp - bias);
    table[b] = sign * v;
  }
  return table;
}

const INT32_MAX = 0x7fffffff;

function decodeInt(ctx: ReadContext, dtype: SafetensorsDType, raw: ArrayBuffer, out: Int32Array, from: number, count: number): void {
  switch (dtype) {
    case 'I64':
    case 'U64': {
      // Each value is a (low, high) pair of 32-bit words; it fits int32 iff high is the sign
      // extension of low (I64) or zero with a non-negative low (U64).
      const words = new Int32Array(raw, 0, count * 2);
      for (let i = 0; i < count; i++) {
        const lo = words[2 * i]!;
        const hi = words[2 * i + 1]!;
        if (dtype === 'I64' ? hi !== lo >> 31 : hi !== 0 || lo < 0) {
          const v = dtype === 'I64' ? new BigInt64Array(raw, 8 * i, 1)[0] : new BigUint64Array(raw, 8 * i, 1)[0];
          narrowingError(ctx, dtype, from + i, String(v));
        }
        out[from + i] = lo;
      }
      return;
    }
    case 'U32': {
      const src = new Uint32Array(raw, 0, count);
      for (let i = 0; i < count; i++) {
        if (src[i]! > INT32_MAX) narrowingError(ctx, dtype, from + i, String(src[i]));
        out[from + i] = src[i]!;
      }
      return;
    }
    case 'I16':
      return out.set(new Int16Array(raw, 0, count), from);
    case 'U16':
      return out.set(new Uint16Array(raw, 0, count), from);
    case 'I8':
      return out.set(new Int8Array(raw, 0, count), from);
    case 'U8':
    case 'BOOL':
      return out.set(new Uint8Array(raw, 0, count), from);
    default:
      throw new Error(`not an integer dtype: ${dtype}`);
  }
}

function narrowingError(ctx: ReadContext, dtype: SafetensorsDType, index: number, value: string): never {
  const byte = ctx.start + index * DTYPE_SIZE[dtype];
  throw new FileFormatError(
    `${ctx.path}: tensor "${ctx.name}" (${dtype}) element ${index} (file byte ${byte}) is ${value}, outside the int32 range Kotoba uses for ids and integers. Store this tensor as float or re-save it with values below 2^31.`,
  );
}
