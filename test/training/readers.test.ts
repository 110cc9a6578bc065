/** Streaming readers: text (lines, blocks), JSONL, CSV, gzip; bad rows stop with file:line or are skipped and counted. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileFormatError, OptionError, newReadStats, readRecords, type DataRecord } from '../../src/index.js';
import { tempDir, writeData } from './helpers.js';

async function all(path: string, options: Parameters<typeof readRecords>[1] = {}): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  for await (const r of readRecords(path, options)) out.push(r);
  return out;
}

test('plain text: one document per line (blank lines skipped) or per blank-line-separated block', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'c.txt', 'first doc\n\nsecond doc\r\nthird\nline\n\n\nfourth\n');
  assert.deepEqual((await all(path)).map((r) => [r.fields.text, r.line]), [['first doc', 1], ['second doc', 3], ['third', 4], ['line', 5], ['fourth', 8]]);
  assert.deepEqual((await all(path, { textMode: 'block' })).map((r) => [r.fields.text, r.line]), [['first doc', 1], ['second doc\nthird\nline', 3], ['fourth', 8]]);
});

test('gzip files are read the same as plain ones (detected by magic bytes)', async () => {
  const dir = tempDir();
  const text = Array.from({ length: 5000 }, (_, i) => `{"text": "line ${i}", "label": ${i % 2}}`).join('\n');
  const plain = await all(writeData(dir, 'a.jsonl', text));
  const gz = await all(writeData(dir, 'a.jsonl.gz', text));
  assert.equal(gz.length, 5000);
  assert.deepEqual(gz.map((r) => r.fields), plain.map((r) => r.fields));
  assert.equal(gz[4999].line, 5000);
});

test('JSONL: a malformed line stops reading with file:line and the reason', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'bad.jsonl', '{"text": "ok"}\n{"text": "broken"\n[1, 2]\n');
  await assert.rejects(all(path), (e: Error) => e instanceof FileFormatError && e.message.includes('bad.jsonl:2: invalid JSON') && e.message.includes('--skip-bad-rows'));
});

test('JSONL with skipBadRows: bad lines are skipped and counted', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'bad.jsonl', '{"text": "ok"}\n{"text": "broken"\n[1, 2]\n\n{"text": "fine"}\n');
  const stats = newReadStats();
  const records = await all(path, { skipBadRows: true, stats });
  assert.deepEqual(records.map((r) => r.fields.text), ['ok', 'fine']);
  assert.equal(stats.skipped, 2);
  assert.equal(stats.rows, 2);
  assert.match(stats.skippedExamples[1], /bad\.jsonl:3: expected a JSON object, got an array/);
});

test('CSV: header row, quoted fields with commas, doubled quotes and line breaks', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'd.csv', '\uFEFFtext,label\r\n"hello, world",pos\n"she said ""hi""",neg\n"two\nlines",pos\nplain,neg\n');
  const records = await all(path);
  assert.deepEqual(records.map((r) => r.fields), [
    { text: 'hello, world', label: 'pos' }, { text: 'she said "hi"', label: 'neg' }, { text: 'two\nlines', label: 'pos' }, { text: 'plain', label: 'neg' },
  ]);
  assert.deepEqual(records.map((r) => r.line), [2, 3, 4, 6]);
});

test('CSV: a row with the wrong number of fields or a stray quote names file:line; skipBadRows counts them', async () => {
  const dir = tempDir();
  const path = writeData(dir, 'd.csv', 'text,label\nok,1\ntoo,many,fields\n"closed"x,1\nfine,0\n');
  await assert.rejects(all(path), /d\.csv:3: expected 2 fields \(as in the header\), found 3/);
  const stats = newReadStats();
  const records = await all(path, { skipBadRows: true, stats });
  assert.deepEqual(records.map((r) => r.fields.text), ['ok', 'fine']);
  assert.equal(stats.skipped, 2);
  assert.match(stats.skippedExamples[1], /d\.csv:4: unexpected character "x" after a closing quote/);
  const open = writeData(dir, 'open.csv', 'text,label\n"never closed,1\n');
  await assert.rejects(all(open), /open\.csv:2: a quoted field is not closed/);
});

test('an empty file, a file of blank lines and a missing file are clear errors', async () => {
  const dir = tempDir();
  await assert.rejects(all(writeData(dir, 'e.txt', '')), (e: Error) => e instanceof OptionError && /e\.txt: the data file is empty/.test(e.message));
  await assert.rejects(all(writeData(dir, 'b.txt', '\n\n  \n')), /b\.txt: no examples in the file/);
  await assert.rejects(all(`${dir}/missing.jsonl`), /missing\.jsonl: cannot read the data file \(ENOENT\)/);
});
