/**
 * The compression baseline: `xz -9` (LZMA2, preset 9) bits per byte of a text,
 * compressed size * 8 / raw size in bytes. The compressed size includes xz's container
 * (header, index, footer: ~60 bytes), which weighs on very small texts only.
 */
import { spawnSync } from 'node:child_process';

export interface XzResult {
  bitsPerByte: number;
  rawBytes: number;
  compressedBytes: number;
}

/** null when xz cannot be run (not installed); the reason is in `why`. */
export function xzBitsPerByte(data: Uint8Array | string): XzResult | { bitsPerByte: null; why: string } {
  const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const r = spawnSync('xz', ['-9', '-c'], { input: raw, maxBuffer: raw.length * 2 + (1 << 20) });
  if (r.error) return { bitsPerByte: null, why: `xz could not be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { bitsPerByte: null, why: `xz exited with status ${r.status}: ${r.stderr.toString().trim()}` };
  return { bitsPerByte: (r.stdout.length * 8) / raw.length, rawBytes: raw.length, compressedBytes: r.stdout.length };
}
