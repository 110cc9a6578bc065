// Malformed files name the file and the problem; awkward input text never crashes or hangs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import tokenizers from 'tokenizers';
import { FileFormatError, KotobaError } from '../../src/errors.js';
import { AutoTokenizer, parseMerges, parseVocabTxt, readSentencePieceModel, tokenizerFromJSON } from '../../src/tokenizers/index.js';
import { fixtureFile } from './fixtures.js';

const temp = mkdtempSync(join(tmpdir(), 'kotoba-bad-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** Asserts a FileFormatError whose message names `file` and matches `what`. */
function rejects(fn: () => unknown, file: string, what: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FileFormatError, `expected FileFormatError, got ${String(e)}`);
    assert.ok(e.message.includes(file), `message names ${file}: ${e.message}`);
    assert.match(e.message, what);
    return true;
  });
}

describe('malformed tokenizer.json', () => {
  const f = 'some/tokenizer.json';
  it('not JSON', () => rejects(() => tokenizerFromJSON('{"model": ', f), f, /not valid JSON/));
  it('no model', () => rejects(() => tokenizerFromJSON('{}', f), f, /model must be an object/));
  it('unknown model type', () => rejects(() => tokenizerFromJSON('{"model": {"type": "Foo"}}', f), f, /"Foo" is not a supported model/));
  it('bad vocab ids', () => rejects(() => tokenizerFromJSON('{"model": {"type": "WordPiece", "vocab": {"a": "x"}}}', f), f, /model\.vocab gives "a" the id "x"/));
  it('duplicate ids', () => rejects(() => tokenizerFromJSON('{"model": {"type": "WordPiece", "vocab": {"a": 0, "b": 0}}}', f), f, /id 0 to more than one token/));
  it('merge of unknown tokens', () =>
    rejects(() => tokenizerFromJSON('{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}', f), f, /merge 0 \("a b"\) uses a token that is not in the vocabulary/));
  it('bad Unigram piece', () => rejects(() => tokenizerFromJSON('{"model": {"type": "Unigram", "vocab": [["a", "x"]], "unk_id": 0}}', f), f, /vocab\[0\] must be a \[piece, score\] pair/));
  it('unk_id out of range', () => rejects(() => tokenizerFromJSON('{"model": {"type": "Unigram", "vocab": [["a", -1]], "unk_id": 5}}', f), f, /unk_id 5/));
  it('unknown normalizer', () => rejects(() => tokenizerFromJSON('{"model": {"type": "WordPiece", "vocab": {"a": 0}}, "normalizer": {"type": "Nope"}}', f), f, /normalizer\.type "Nope"/));
  it('broken charsmap', () =>
    rejects(() => tokenizerFromJSON('{"model": {"type": "WordPiece", "vocab": {"a": 0}}, "normalizer": {"type": "Precompiled", "precompiled_charsmap": "AAAA"}}', f), f, /precompiled_charsmap/));
  it('template with an undefined special token', () =>
    rejects(
      () => tokenizerFromJSON('{"model": {"type": "WordPiece", "vocab": {"a": 0}}, "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}], "pair": [], "special_tokens": {}}}', f),
      f,
      /\[CLS\]/,
    ));
});

describe('malformed classic files', () => {
  it('empty vocab.txt', () => rejects(() => parseVocabTxt('\n', 'm/vocab.txt'), 'm/vocab.txt', /empty/));
  it('merges.txt line without a pair', () => rejects(() => parseMerges('#version: 0.2\na b\nc\n', 'm/merges.txt'), 'm/merges.txt', /line 3/));
  it('spiece.model that is not protobuf', () => rejects(() => readSentencePieceModel(new TextEncoder().encode('not a model at all'), 'm/spiece.model'), 'm/spiece.model', /not a SentencePiece model/));
  it('truncated spiece.model', () => {
    const bytes = readFileSync(fixtureFile('t5-unigram', 'spiece.model'));
    rejects(() => readSentencePieceModel(bytes.subarray(0, 1000), 'm/spiece.model'), 'm/spiece.model', /runs past the end|truncated/);
  });
  it('vocab.txt that is not UTF-8, through AutoTokenizer', () => {
    const folder = join(temp, 'latin1');
    mkdirSync(folder);
    writeFileSync(join(folder, 'vocab.txt'), Buffer.from([0x5b, 0x55, 0x4e, 0x4b, 0x5d, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    rejects(() => AutoTokenizer.fromFolder(folder), join(folder, 'vocab.txt'), /not valid UTF-8 \(at byte 9\)/);
  });
  it('a folder without tokenizer files', () => rejects(() => AutoTokenizer.fromFolder(temp), temp, /no tokenizer files/));
  it('a missing folder', () => assert.throws(() => AutoTokenizer.fromFolder(join(temp, 'nope')), KotobaError));
});

describe('awkward input text', () => {
  const gpt2 = AutoTokenizer.fromFolder(fixtureFile('gpt2', '.'));
  const bert = AutoTokenizer.fromFolder(fixtureFile('bert-base-uncased', '.'));
  const t5 = AutoTokenizer.fromFolder(fixtureFile('t5-unigram', '.'));

  it('lone surrogates read as U+FFFD, as the Rust tokenizers sees them', async () => {
    const text = 'a\ud800b \udc00 c\ud83d';
    for (const [tok, dir] of [[gpt2, 'gpt2'], [bert, 'bert-base-uncased'], [t5, 't5-unigram']] as const) {
      const rust = tokenizers.Tokenizer.fromFile(fixtureFile(dir, 'tokenizer.json'));
      assert.deepEqual(tok.encode(text), (await rust.encode(text)).getIds(), dir);
    }
    assert.equal(gpt2.decode(gpt2.encode(text)), 'a\ufffdb \ufffd c\ufffd');
  });

  it('ids outside the vocabulary are skipped by decode', () => {
    assert.equal(bert.decode([7592, 999999, -1, 2088]), 'hello world');
    assert.equal(gpt2.decode([]), '');
  });

  it('a 300 KB single line matches the reference, a 10 MB one completes', async () => {
    const kjv = readFileSync(fixtureFile('gpt2', 'cases.json'), 'utf8');
    const line = kjv.replace(/\s+/g, ' ').slice(0, 300_000);
    const rust = tokenizers.Tokenizer.fromFile(fixtureFile('gpt2', 'tokenizer.json'));
    assert.deepEqual(gpt2.encode(line), (await rust.encode(line)).getIds());
    const big = line.repeat(34).slice(0, 10_000_000);
    assert.ok(bert.encode(big, { addSpecialTokens: false }).length > 2_000_000);
  });

  it('a long single word goes through BPE, WordPiece and Unigram', () => {
    const word = 'ab'.repeat(50_000);
    assert.deepEqual(gpt2.decode(gpt2.encode(word)), word);
    assert.deepEqual(bert.encode(word), [101, 100, 102]);
    assert.ok(t5.encode(word).length > 10);
  });
});
