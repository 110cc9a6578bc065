/** `kotoba train-tokenizer`: tiny WordPiece / BPE / Unigram vocabularies from a text file and from a .jsonl column. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer } from '../../src/index.js';
import { kotoba, oneLine, tempDir } from './helpers.js';

const dir = tempDir();
const animals = ['cat', 'dog', 'bird', 'horse', 'mouse', 'zebra', 'otter'];
const lines = Array.from({ length: 120 }, (_, i) => `the ${animals[i % 7]} and the ${animals[(i * 3) % 7]} ran over the hill number ${i % 10}`);
const txt = join(dir, 'corpus.txt');
writeFileSync(txt, lines.join('\n') + '\n');
// the "body" column repeats "pelican"; the "title" column repeats "quokka" and must be ignored
const jsonl = join(dir, 'rows.jsonl');
writeFileSync(jsonl, lines.map((l, i) => JSON.stringify({ title: `quokka quokka ${i}`, body: `${l} pelican pelican` })).join('\n') + '\n');

/** Byte-level BPE starts from the 256 bytes, so it gets a larger vocabulary. */
const vocabSize = (type: string) => (type === 'bpe' ? 400 : 120);

function train(type: string, data: string, ...extra: string[]): string {
  const out = join(tempDir(), type);
  const r = kotoba(['train-tokenizer', '--type', type, '--data', data, '--out', out, '--vocab-size', String(vocabSize(type)), ...extra]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${type} tokenizer with \\d+ tokens saved in ${out}\\n$`));
  assert.ok(existsSync(join(out, 'tokenizer.json')));
  return out;
}

for (const type of ['wordpiece', 'bpe', 'unigram']) {
  test(`train-tokenizer --type ${type} on a text file: the folder loads with AutoTokenizer and encodes`, () => {
    const tokenizer = AutoTokenizer.fromFolder(train(type, txt));
    assert.ok(tokenizer.length <= vocabSize(type) && tokenizer.length > 20, `${tokenizer.length} tokens`);
    const text = 'the zebra and the otter ran';
    const ids = tokenizer.encode(text, { addSpecialTokens: false });
    assert.ok(ids.length > 0 && ids.every((id) => Number.isInteger(id) && id >= 0 && id < tokenizer.length));
    // a word seen 30+ times in training is one token
    const zebra = tokenizer.tokenize(type === 'bpe' ? ' zebra' : 'zebra'); // byte-level BPE learned "Ġzebra"
    assert.equal(zebra.length, 1, JSON.stringify(zebra));
    const decoded = tokenizer.decode(ids, { skipSpecialTokens: true });
    assert.equal(decoded.trim(), text);
  });
}

test('train-tokenizer on a .jsonl learns from --text-column only', () => {
  const tokenizer = AutoTokenizer.fromFolder(train('wordpiece', jsonl, '--text-column', 'body'));
  assert.deepEqual(tokenizer.tokenize('pelican'), ['pelican']);
  assert.deepEqual(tokenizer.tokenize('quokka'), ['[UNK]']); // not even its letters q and k were seen
  const both = AutoTokenizer.fromFolder(train('bpe', jsonl, '--text-column', 'title', 'body'));
  assert.deepEqual(both.tokenize('quokka'), ['quokka']);
  assert.deepEqual(both.tokenize(' pelican'), ['Ġpelican']);
});

test('train-tokenizer --type unigram --extra-ids: T5 sentinels at the end, <extra_id_0> last', () => {
  const tokenizer = AutoTokenizer.fromFolder(train('unigram', txt, '--extra-ids', '3'));
  assert.equal(tokenizer.convertTokensToIds('<extra_id_0>'), tokenizer.length - 1);
  assert.equal(tokenizer.convertTokensToIds('<extra_id_2>'), tokenizer.length - 3);
});

test('train-tokenizer errors: unknown type, a missing file, a missing column', () => {
  assert.match(oneLine(kotoba(['train-tokenizer', '--type', 'bytes', '--data', txt, '--out', tempDir()])), /--type.*bytes/);
  assert.match(oneLine(kotoba(['train-tokenizer', '--type', 'bpe', '--data', join(dir, 'missing.txt'), '--out', tempDir()])), /missing\.txt/);
  assert.match(oneLine(kotoba(['train-tokenizer', '--type', 'bpe', '--data', jsonl, '--text-column', 'nope', '--out', tempDir()])), /nope/);
});
