// Parsing and validating a safetensors header. Layout: 8-byte little-endian u64 N, N bytes of
// UTF-8 JSON, then the data section; each tensor's data_offsets are relative to byte 8 + N.
// Nothing in the file is trusted: every rule below fails with the file, key and byte offset.
import { FileFormatError } from '../errors.js';
import { DTYPE_SIZE, isKnownDType, type SafetensorsDType } from './dtypes.js';
import { describeJsonType, findJsonSyntaxError } from './json.js';

/** Headers above this are refused (the reference implementation uses the same 100 MB bound). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsTensorInfo {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Begin and end byte, relative to the start of the data section. */
  readonly dataOffsets: readonly [number, number];
}

export interface SafetensorsHeader {
  /** N, the JSON length in bytes (including padding). */
  readonly headerBytes: number;
  /** Absolute file offset of the data section: 8 + N. */
  readonly dataStart: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** Tensors in data order (ascending data_offsets). */
  readonly tensors: ReadonlyMap<string, SafetensorsTensorInfo>;
}

/** Validate the 8-byte length prefix against the file size; returns N. */
export function parseHeaderLength(prefix: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8) {
    throw new FileFormatError(
      `${file}: ${fileSize} bytes is too short for a safetensors file (it starts with an 8-byte header length). The file is truncated or not safetensors.`,
    );
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new FileFormatError(
      `${file}: header length ${n} (byte 0) is over the ${MAX_HEADER_BYTES}-byte limit. The file is corrupted or not safetensors.`,
    );
  }
  const headerBytes = Number(n);
  if (8 + headerBytes > fileSize) {
    throw new FileFormatError(
      `${file}: header length ${headerBytes} (byte 0) runs past the end of the ${fileSize}-byte file. The file is truncated; download or save it again.`,
    );
  }
  if (headerBytes < 2) throw new FileFormatError(`${file}: header length ${headerBytes} (byte 0) is too small for a JSON object.`);
  return headerBytes;
}

/** Parse and validate the JSON header. `fileSize` bounds the data section. */
export function parseHeader(json: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const headerBytes = json.length;
  const dataStart = 8 + headerBytes;
  const dataLength = fileSize - dataStart;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw new FileFormatError(`${file}: header (bytes 8..${dataStart}) is not valid UTF-8. The file is corrupted.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const pos = findJsonSyntaxError(text);
    const byte = 8 + Buffer.byteLength(text.slice(0, pos), 'utf8');
    throw new FileFormatError(`${file}: header is not valid JSON at byte ${byte} (${(e as Error).message}). The file is corrupted.`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FileFormatError(`${file}: header must be a JSON object, found ${describeJsonType(raw)} (byte 8).`);
  }

  let metadata: Record<string, string> = {};
  const entries: [string, SafetensorsTensorInfo][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata__') metadata = parseMetadata(value, file);
    else entries.push([name, parseTensorInfo(name, value, dataLength, dataStart, file)]);
  }
  entries.sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  checkNoOverlap(entries, dataStart, file);
  return { headerBytes, dataStart, metadata, tensors: new Map(entries) };
}

function parseMetadata(value: unknown, file: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FileFormatError(`${file}: "__metadata__" must be an object of strings, found ${describeJsonType(value)}.`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new FileFormatError(`${file}: "__metadata__"."${k}" must be a string, found ${describeJsonType(v)}.`);
    }
  }
  return value as Record<string, string>;
}

function parseTensorInfo(name: string, value: unknown, dataLength: number, dataStart: number, file: string): SafetensorsTensorInfo {
  const bad = (what: string) => new FileFormatError(`${file}: tensor "${name}": ${what}. The file is corrupted or was written by a non-conforming tool.`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`entry must be an object, found ${describeJsonType(value)}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isKnownDType(dtype)) {
    throw bad(`unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_SIZE).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad(`shape ${JSON.stringify(shape)} must be a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw bad(`data_offsets ${JSON.stringify(offsets)} must be [begin, end] with non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw bad(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLength) {
    throw bad(
      `data_offsets [${begin}, ${end}] (file bytes ${dataStart + begin}..${dataStart + end}) run past the end of the data section (${dataLength} bytes, file ends at byte ${dataStart + dataLength}); the file is probably truncated`,
    );
  }
  let numel = 1;
  for (const d of shape as number[]) numel *= d;
  const expected = numel * DTYPE_SIZE[dtype];
  if (!Number.isSafeInteger(expected) || expected !== end - begin) {
    throw bad(`shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { dtype, shape: shape as number[], dataOffsets: [begin, end] };
}

function checkNoOverlap(sorted: [string, SafetensorsTensorInfo][], dataStart: number, file: string): void {
  let prevName = '';
  let prevEnd = 0;
  for (const [name, info] of sorted) {
    const [begin, end] = info.dataOffsets;
    if (begin === end) continue; // empty tensors occupy no bytes
    if (begin < prevEnd) {
      throw new FileFormatError(
        `${file}: tensor "${name}" (data_offsets [${begin}, ${end}], file byte ${dataStart + begin}) overlaps tensor "${prevName}" which ends at data offset ${prevEnd}. The file is corrupted.`,
      );
    }
    prevName = name;
    prevEnd = end;
  }
}
