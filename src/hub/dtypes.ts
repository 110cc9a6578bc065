// The element types a safetensors file may declare, and how Kotoba holds each in memory:
// every float type becomes a Float32Array (float32 compute), every integer / bool type an
// Int32Array (ids are int32 in memory; wider values are narrowed with a checked error).
import { endianness } from 'node:os';
import { KotobaError } from '../errors.js';

export type SafetensorsDType =
  | 'F64' | 'F32' | 'F16' | 'BF16' | 'F8_E4M3' | 'F8_E5M2'
  | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Bytes per element. */
export const DTYPE_SIZE: Readonly<Record<SafetensorsDType, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

/** The float dtypes the writer can store. */
export type FloatStorageDType = 'F32' | 'F16' | 'BF16';

export function isKnownDType(x: unknown): x is SafetensorsDType {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, x);
}

export function isFloatDType(d: SafetensorsDType): boolean {
  return d.startsWith('F') || d === 'BF16';
}

/** The torch name of a dtype, as config.json's `torch_dtype` spells it. */
export function torchDTypeName(d: FloatStorageDType): 'float32' | 'float16' | 'bfloat16' {
  return d === 'F32' ? 'float32' : d === 'F16' ? 'float16' : 'bfloat16';
}

/** Typed arrays use the host byte order and safetensors is little-endian: refuse big-endian hosts. */
export function assertLittleEndian(): void {
  if (endianness() !== 'LE') throw new KotobaError('Kotoba reads and writes checkpoints on little-endian hosts only.');
}
