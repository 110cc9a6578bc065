// Every way a safetensors file can be broken gives a FileFormatError naming the file (and the
// key and byte offset where there is one), never a crash or a silent misread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError } from '../../src/errors.js';
import { readSafetensors } from '../../src/hub/safetensors.js';
import { FIXTURES, rawSafetensors, tempDir, writeRaw } from './helpers.js';

const dir = tempDir();
const t = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

function expectError(name: string, bytes: Uint8Array, ...parts: string[]): void {
  const path = writeRaw(dir, name, bytes);
  assert.throws(
    () => readSafetensors(path),
    (e: Error) => {
      assert.ok(e instanceof FileFormatError, `${name}: ${e}`);
      for (const part of [path, ...parts]) assert.ok(e.message.includes(part), `${name}: "${part}" not in: ${e.message}`);
      return true;
    },
  );
}

test('truncated files', () => {
  const good = readFileSync(join(FIXTURES, 'gpt2-tiny', 'model.safetensors'));
  expectError('short.safetensors', good.subarray(0, 5), 'too short');
  expectError('cut-header.safetensors', good.subarray(0, 100), 'header length 2592', 'past the end');
  expectError('cut-data.safetensors', good.subarray(0, good.length - 10), 'truncated', 'transformer.wte.weight');
});

test('bad header length', () => {
  expectError('huge.safetensors', rawSafetensors('{}', undefined, 2n ** 40n), 'byte 0', 'limit');
  expectError('zero.safetensors', rawSafetensors('', undefined, 0n), 'too small');
});

test('bad JSON, non-object header, bad UTF-8, bad metadata', () => {
  expectError('json.safetensors', rawSafetensors('{"a": {"dtype": "F32",}}'), 'not valid JSON', 'byte 30');
  expectError('array.safetensors', rawSafetensors('[1, 2]'), 'must be a JSON object');
  const bad = Buffer.concat([Buffer.alloc(8), Buffer.from([0x7b, 0xc3, 0x28, 0x7d])]);
  bad.writeBigUInt64LE(4n);
  expectError('utf8b.safetensors', bad, 'not valid UTF-8');
  expectError('meta.safetensors', rawSafetensors({ __metadata__: { format: 1 } }), '"__metadata__"."format"');
});

test('unknown dtype, bad shape, size mismatch', () => {
  expectError('dtype.safetensors', rawSafetensors({ w: t('F99', [1], 0, 4) }, new Uint8Array(4)), '"w"', 'unknown dtype "F99"');
  expectError('shape.safetensors', rawSafetensors({ w: t('F32', [-1], 0, 4) }, new Uint8Array(4)), '"w"', 'shape');
  expectError('size.safetensors', rawSafetensors({ w: t('F32', [2], 0, 4) }, new Uint8Array(4)), '"w"', 'needs 8 bytes');
});

test('offsets out of range or overlapping', () => {
  expectError('range.safetensors', rawSafetensors({ w: t('F32', [2], 4, 12) }, new Uint8Array(8)), '"w"', 'run past the end', 'file bytes');
  expectError('reversed.safetensors', rawSafetensors({ w: t('F32', [0], 8, 4) }, new Uint8Array(8)), '"w"', 'end before');
  const header = { a: t('F32', [2], 0, 8), b: t('F32', [2], 4, 12) };
  const dataStart = 8 + JSON.stringify(header).length;
  expectError('overlap.safetensors', rawSafetensors(header, new Uint8Array(12)), '"b"', 'overlaps tensor "a"', `file byte ${dataStart + 4}`);
});

test('I64 values past int32 are refused with the element and byte', () => {
  const data = Buffer.alloc(16);
  data.writeBigInt64LE(7n, 0);
  data.writeBigInt64LE(-(2n ** 31n) - 1n, 8);
  expectError('ids.safetensors', rawSafetensors({ ids: t('I64', [2], 0, 16) }, data), '"ids"', 'element 1', '-2147483649', 'int32');
});
