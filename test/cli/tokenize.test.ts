/** `kotoba tokenize`: the ids are AutoTokenizer.encode's, for model folders, shipped names and tokenizer-only folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoTokenizer } from '../../src/index.js';
import { SHIPPED_MODELS } from '../../src/models/shipped.js';
import { kotoba, oneLine, shipped, tempDir } from './helpers.js';

const TEXT = 'Hello world, the café costs 3.50€ — naïve?  Ünïcödé 🙂';
const present = (Object.keys(SHIPPED_MODELS) as (keyof typeof SHIPPED_MODELS)[]).filter((n) => shipped(n));

test('tokenize --json: ids equal AutoTokenizer.encode (with and without special tokens), tokens and offsets line up', { skip: present.length === 0 && 'no shipped models' }, () => {
  for (const name of present) {
    const tokenizer = AutoTokenizer.fromFolder(shipped(name)!);
    const r = kotoba(['tokenize', name, TEXT, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.ids, tokenizer.encode(TEXT), name);
    // (as in tokenizers, an unknown piece shows its text, not the unk token)
    assert.deepEqual(out.tokens, tokenizer.tokenize(TEXT, { addSpecialTokens: true }), name);
    assert.equal(out.offsets.length, out.ids.length);
    for (const [start, end] of out.offsets) assert.ok(start >= 0 && start <= end && end <= TEXT.length);

    const plain = kotoba(['tokenize', name, TEXT, '--json', '--no-special-tokens']);
    assert.equal(plain.status, 0, plain.stderr);
    const ids = JSON.parse(plain.stdout).ids;
    assert.deepEqual(ids, tokenizer.encode(TEXT, { addSpecialTokens: false }), name);
    assert.deepEqual(JSON.parse(plain.stdout).tokens, tokenizer.tokenize(TEXT), name);
  }
});

test('tokenize without --json: one line per token, then the ids', { skip: present.length === 0 && 'no shipped models' }, () => {
  const name = present[0];
  const expected = AutoTokenizer.fromFolder(shipped(name)!).encode(TEXT);
  const r = kotoba(['tokenize', name, TEXT]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], `${expected.length} tokens`);
  assert.equal(lines.length, expected.length + 2);
  assert.equal(lines.at(-1), `ids: ${expected.join(' ')}`);
  lines.slice(1, -1).forEach((line, i) => assert.match(line, new RegExp(`^\\s*${i}\\s+${expected[i]}\\s`)));
});

test('tokenize a folder holding only a tokenizer', { skip: present.length === 0 && 'no shipped models' }, () => {
  const tokenizer = AutoTokenizer.fromFolder(shipped(present[0])!);
  const folder = tempDir();
  tokenizer.savePretrained(folder);
  const r = kotoba(['tokenize', folder, TEXT, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).ids, tokenizer.encode(TEXT));
});

test('tokenize: a folder without tokenizer files is a one-line error', () => {
  assert.match(oneLine(kotoba(['tokenize', tempDir(), 'hi'])), /no tokenizer files/);
});
