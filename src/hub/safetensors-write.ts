// Writing safetensors in the canonical layout torch/safetensors produce: `__metadata__` first,
// tensors ordered by descending element size and then by name (so every tensor stays aligned;
// with one dtype that is plain sorted-name order), JSON padded with spaces to a multiple of 8.
import { OptionError } from '../errors.js';
import { writeAll, writeFileAtomic } from './atomic.js';
import { DTYPE_SIZE, assertLittleEndian, type FloatStorageDType, type SafetensorsDType } from './dtypes.js';
import { float32ToBfloat16, float32ToFloat16 } from './half.js';

/** A tensor to write. Float32Array data is stored as the file's float dtype; Int32Array as I64 (or I32 if `dtype` says so). */
export interface TensorToWrite {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
  /** Only consulted for Int32Array data: 'I32' keeps 4 bytes, anything else writes I64 (torch's long). */
  readonly dtype?: SafetensorsDType;
}

export interface WriteSafetensorsOptions {
  /** Storage type of every float tensor (default 'F32'). */
  readonly dtype?: FloatStorageDType;
}

const CHUNK_ELEMENTS = 1 << 20;

interface Planned {
  name: string;
  tensor: TensorToWrite;
  dtype: SafetensorsDType;
  begin: number;
  end: number;
}

/** Write `tensors` to `path` atomically (temporary name, fsync, rename). */
export function writeSafetensors(
  path: string,
  tensors: ReadonlyMap<string, TensorToWrite> | Readonly<Record<string, TensorToWrite>>,
  metadata: Readonly<Record<string, string>> = {},
  options: WriteSafetensorsOptions = {},
): void {
  assertLittleEndian();
  const floatDType = options.dtype ?? 'F32';
  if (!['F32', 'F16', 'BF16'].includes(floatDType)) {
    throw new OptionError(`writeSafetensors(${path}): dtype must be 'F32', 'F16' or 'BF16', got ${JSON.stringify(floatDType)}.`);
  }
  const plan = planLayout(path, tensors instanceof Map ? [...tensors] : Object.entries(tensors), floatDType);
  const header = encodeHeader(path, plan, metadata);
  writeFileAtomic(path, (fd) => {
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setBigUint64(0, BigInt(header.length), true);
    writeAll(fd, prefix);
    writeAll(fd, header);
    for (const p of plan) writeTensor(fd, p);
  });
}

function planLayout(path: string, entries: [string, TensorToWrite][], floatDType: FloatStorageDType): Planned[] {
  const plan: Planned[] = entries.map(([name, tensor]) => {
    validate(path, name, tensor);
    const dtype: SafetensorsDType = tensor.data instanceof Float32Array ? floatDType : tensor.dtype === 'I32' ? 'I32' : 'I64';
    return { name, tensor, dtype, begin: 0, end: 0 };
  });
  plan.sort((a, b) => DTYPE_SIZE[b.dtype] - DTYPE_SIZE[a.dtype] || compareUtf8(a.name, b.name));
  let offset = 0;
  for (const p of plan) {
    p.begin = offset;
    offset += p.tensor.data.length * DTYPE_SIZE[p.dtype];
    p.end = offset;
  }
  return plan;
}

function validate(path: string, name: string, t: TensorToWrite): void {
  const where = `writeSafetensors(${path}): tensor "${name}"`;
  if (name === '' || name === '__metadata__') throw new OptionError(`${where}: invalid tensor name.`);
  if (!(t.data instanceof Float32Array || t.data instanceof Int32Array)) {
    throw new OptionError(`${where}: data must be a Float32Array or Int32Array.`);
  }
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new OptionError(`${where}: shape [${t.shape.join(', ')}] must hold non-negative integers.`);
  }
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (numel !== t.data.length) {
    throw new OptionError(`${where}: shape [${t.shape.join(', ')}] has ${numel} elements but data has ${t.data.length}.`);
  }
}

/** Names sort by UTF-8 bytes (= code points), as Rust and Python order strings. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function encodeHeader(path: string, plan: Planned[], metadata: Readonly<Record<string, string>>): Uint8Array {
  const meta: Record<string, string> = {};
  for (const k of Object.keys({ format: 'pt', ...metadata }).sort()) {
    const v = k in metadata ? metadata[k] : 'pt';
    if (typeof v !== 'string') throw new OptionError(`writeSafetensors(${path}): metadata "${k}" must be a string.`);
    meta[k] = v;
  }
  let json = `{"__metadata__":${JSON.stringify(meta)}`;
  for (const p of plan) {
    json += `,${JSON.stringify(p.name)}:{"dtype":"${p.dtype}","shape":${JSON.stringify(p.tensor.shape)},"data_offsets":[${p.begin},${p.end}]}`;
  }
  json += '}';
  const bytes = Buffer.from(json, 'utf8');
  const padded = Buffer.alloc(Math.ceil(bytes.length / 8) * 8, 0x20);
  bytes.copy(padded);
  return padded;
}

/** Write one tensor's bytes, converting in bounded chunks so no full-size copy is made. */
function writeTensor(fd: number, p: Planned): void {
  const data = p.tensor.data;
  if (p.dtype === 'F32' || p.dtype === 'I32') {
    writeAll(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return;
  }
  for (let from = 0; from < data.length; from += CHUNK_ELEMENTS) {
    const part = data.subarray(from, Math.min(data.length, from + CHUNK_ELEMENTS));
    writeAll(fd, encodeChunk(part, p.dtype));
  }
}

function encodeChunk(part: Float32Array | Int32Array, dtype: SafetensorsDType): Uint8Array {
  if (dtype === 'I64') {
    const words = new Int32Array(part.length * 2);
    for (let i = 0; i < part.length; i++) {
      words[2 * i] = part[i]!;
      words[2 * i + 1] = part[i]! < 0 ? -1 : 0; // sign extension
    }
    return new Uint8Array(words.buffer);
  }
  const half = new Uint16Array(part.length);
  if (dtype === 'F16') float32ToFloat16(part as Float32Array, half);
  else float32ToBfloat16(part as Float32Array, half);
  return new Uint8Array(half.buffer);
}
