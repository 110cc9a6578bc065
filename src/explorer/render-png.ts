/**
 * The attention matrix as a PNG: the cells only (no text — there is no font renderer here),
 * one square per weight, written with node's zlib. Use the SVG for labelled pictures.
 */
import { deflateSync } from 'node:zlib';
import type { AttentionView } from './attention-view.js';
import { colorOf } from './render-svg.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function attentionPng(view: AttentionView, cell = 16): Buffer {
  const rows = view.matrix.length;
  const cols = view.matrix[0]?.length ?? 0;
  const width = cols * cell;
  const height = rows * cell;
  // each scanline: filter byte 0, then RGB triples
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const line = y * (1 + width * 3);
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colorOf(view.matrix[Math.floor(y / cell)][Math.floor(x / cell)]);
      raw.set([r, g, b], line + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}
