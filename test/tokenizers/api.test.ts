// The transformers-style API: call/encode/decode, special tokens, padding and truncation options,
// save and reload.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OptionError } from '../../src/errors.js';
import { AutoTokenizer } from '../../src/tokenizers/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { TOKENIZER_DIRS, fixtureFile, loadCases } from './fixtures.js';

const bert = AutoTokenizer.fromFolder(fixtureFile('bert-base-uncased', '.'));
const gpt2 = AutoTokenizer.fromFolder(fixtureFile('gpt2', '.'));
const t5 = AutoTokenizer.fromFolder(fixtureFile('t5-unigram', '.'));
const temp = mkdtempSync(join(tmpdir(), 'kotoba-tok-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('special tokens and sizes', () => {
  it('BERT', () => {
    assert.equal(bert.vocabSize, 30522);
    assert.deepEqual([bert.clsTokenId, bert.sepTokenId, bert.padTokenId, bert.maskTokenId, bert.unkTokenId], [101, 102, 0, 103, 100]);
    assert.equal(bert.eosTokenId, null);
    assert.equal(bert.modelMaxLength, 512);
  });

  it('GPT-2', () => {
    assert.equal(gpt2.vocabSize, 50257);
    assert.deepEqual([gpt2.eosTokenId, gpt2.bosTokenId, gpt2.unkTokenId, gpt2.padTokenId], [50256, 50256, 50256, null]);
  });

  it('T5', () => {
    assert.equal(t5.vocabSize, 3100);
    assert.deepEqual([t5.eosTokenId, t5.padTokenId, t5.unkTokenId], [1, 0, 2]);
    assert.equal(t5.convertTokensToIds('<extra_id_0>'), 3099);
    assert.ok(t5.allSpecialTokens.includes('<extra_id_42>'));
  });
});

describe('encode / call / decode', () => {
  it('encode adds special tokens unless told not to', () => {
    assert.deepEqual(bert.encode('Hello world'), [101, 7592, 2088, 102]);
    assert.deepEqual(bert.encode('Hello world', { addSpecialTokens: false }), [7592, 2088]);
    assert.deepEqual(bert.encode('Hello', { textPair: 'world' }), [101, 7592, 102, 2088, 102]);
    assert.deepEqual(t5.encode('Hello world'), [181, 9, 9, 89, 484, 1]);
  });

  it('tokenize and convertIdsToTokens', () => {
    assert.deepEqual(bert.tokenize('Unaffable!'), ['una', '##ffa', '##ble', '!']);
    assert.deepEqual(gpt2.convertIdsToTokens([15496, 995]), ['Hello', '\u0120world']);
    assert.equal(gpt2.convertIdsToTokens(50256), '<|endoftext|>');
    assert.deepEqual(bert.convertIdsToTokens([101, 7592, 102], true), ['hello']);
  });

  it('call on one string gives flat arrays, on a list gives rows padded together', () => {
    const one = bert.call('Hello world');
    assert.deepEqual(one.inputIds, [101, 7592, 2088, 102]);
    assert.deepEqual(one.offsets, [[0, 0], [0, 5], [6, 11], [0, 0]]);
    const batch = bert.call(['Short.', 'A somewhat longer sentence here.'], { padding: true });
    assert.deepEqual(batch.attentionMask, [
      [1, 1, 1, 1, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1, 1, 1],
    ]);
    assert.equal((batch.inputIds as number[][])[0].length, 8);
  });

  it('pairs give token type ids', () => {
    const enc = bert.call(['How old are you?'], { textPair: ['Six.'] });
    assert.deepEqual(enc.tokenTypeIds, [[0, 0, 0, 0, 0, 0, 0, 1, 1, 1]]);
  });

  it('truncation strategies and sides', () => {
    const long = 'one two three four five six seven';
    assert.deepEqual(bert.encode(long, { truncation: true, maxLength: 5 }), [101, 2028, 2048, 2093, 102]);
    assert.deepEqual(bert.call(long, { truncation: true, maxLength: 5, truncationSide: 'left' }).inputIds, [101, 2274, 2416, 2698, 102]);
    const pair = bert.call(['a b c d e f'], { textPair: ['x y'], truncation: 'only_first', maxLength: 8 });
    assert.deepEqual((pair.inputIds as number[][])[0].length, 8);
    assert.throws(() => bert.call(['a'], { textPair: ['b c d e f g'], truncation: 'only_first', maxLength: 5 }), OptionError);
  });

  it('padding to max_length, left side, multiple of', () => {
    const enc = bert.call(['Hi'], { padding: 'max_length', maxLength: 6, paddingSide: 'left' });
    assert.deepEqual(enc.inputIds, [[0, 0, 0, 101, 7632, 102]]);
    assert.deepEqual(enc.attentionMask, [[0, 0, 0, 1, 1, 1]]);
    const multiple = bert.call(['Hi'], { padding: true, padToMultipleOf: 8 });
    assert.equal((multiple.inputIds as number[][])[0].length, 8);
  });

  it('padding without a pad token is an OptionError', () => {
    assert.throws(() => gpt2.call(['a', 'b c'], { padding: true }), OptionError);
    assert.deepEqual(gpt2.call(['a', 'b c']).inputIds, [[64], [65, 269]]);
  });

  it('decode, skipSpecialTokens, batchDecode, cleanUpTokenizationSpaces', () => {
    assert.equal(bert.decode([101, 7592, 1010, 2088, 999, 102, 0]), '[CLS] hello, world! [SEP] [PAD]');
    assert.equal(bert.decode([101, 7592, 1010, 2088, 999, 102, 0], { skipSpecialTokens: true }), 'hello, world!');
    assert.deepEqual(t5.batchDecode([[181, 9, 9, 89, 1], [484, 1]], { skipSpecialTokens: true }), ['Hello', 'world']);
    assert.equal(gpt2.decode(gpt2.encode("it 's")), "it 's");
    assert.equal(gpt2.decode(gpt2.encode("it 's"), { cleanUpTokenizationSpaces: true }), "it's");
  });

  it('added tokens are matched in raw text', () => {
    const tok = AutoTokenizer.fromFolder(fixtureFile('bert-base-uncased', '.'));
    assert.equal(tok.addTokens(['kotoba-san']), 1);
    const id = tok.convertTokensToIds('kotoba-san');
    assert.equal(id, 30522);
    assert.deepEqual(tok.encode('hi kotoba-san!', { addSpecialTokens: false }), [7632, 30522, 999]);
    assert.equal(tok.length, 30523);
    assert.equal(tok.vocabSize, 30522);
  });

  it("returnTensors: 'kotoba' (or 'pt') gives int32 Tensors", () => {
    assert.throws(() => bert.call(['a'], { returnTensors: 'nope' }), OptionError);
    assert.throws(() => bert.call(['a b', 'c'], { returnTensors: 'pt' }), /equal length/);
    const enc = bert.call(['a b', 'c'], { padding: true, returnTensors: 'pt' });
    const ids = enc.inputIds as unknown as Tensor;
    assert.ok(ids instanceof Tensor);
    assert.equal(ids.dtype, 'int32');
    assert.deepEqual(ids.toArray(), [[101, 1037, 1038, 102], [101, 1039, 102, 0]]);
    assert.deepEqual((enc.attentionMask as unknown as Tensor).toArray(), [[1, 1, 1, 1], [1, 1, 1, 0]]);
  });
});

describe('Japanese round trip', () => {
  it('GPT-2 byte-level gives back the exact text', () => {
    const text = '「LLMの内部構造:言語モデルアーキテクチャの詳細な解説」東京で美味しいラーメンを食べました。';
    assert.equal(gpt2.decode(gpt2.encode(text)), text);
  });
});

describe('savePretrained', () => {
  for (const dir of TOKENIZER_DIRS) {
    it(`${dir}: saved folder reloads with identical results`, () => {
      const tok = AutoTokenizer.fromFolder(fixtureFile(dir, '.'));
      const out = join(temp, dir);
      const written = tok.savePretrained(out);
      assert.deepEqual(written.map((p) => p.slice(out.length + 1)), ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']);
      const again = AutoTokenizer.fromFolder(out);
      for (const c of loadCases(dir)) {
        if (c.kind !== 'encode') continue;
        const a = tok.backend.encode(c.input.text, c.input.text_pair ?? null);
        const b = again.backend.encode(c.input.text, c.input.text_pair ?? null);
        assert.deepEqual(b, a, c.id);
      }
      assert.equal(again.modelMaxLength, tok.modelMaxLength);
      assert.equal(again.eosTokenId, tok.eosTokenId);
      const json = JSON.parse(readFileSync(join(out, 'tokenizer.json'), 'utf8'));
      assert.equal(json.model.type, tok.backend.model.type);
    });
  }
});
