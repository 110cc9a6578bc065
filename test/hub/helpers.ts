// Shared by the hub tests: temp folders, the shared fixtures, hand-made safetensors files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';

/** ../shared/fixtures/models, read in place (never copied into the repo). */
export const FIXTURES = resolve(process.cwd(), '../shared/fixtures/models');

/** A fresh temp folder, removed when the test file ends. */
export function tempDir(prefix = 'kotoba-hub-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Bytes of a safetensors file with the given header (object or raw text) and data section. */
export function rawSafetensors(header: object | string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(lengthOverride ?? BigInt(json.length));
  return Buffer.concat([prefix, json, data]);
}

export function writeRaw(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
