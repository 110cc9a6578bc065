// Random texts from a pool of awkward characters (combining marks, CJK, emoji, controls, odd
// spaces, lone surrogates, special tokens) through Kotoba and through Hugging Face's Rust
// tokenizers (npm "tokenizers"): ids, tokens, offsets, word ids and decodes must agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import tokenizers from 'tokenizers';
import { tokenizerFromJSON } from '../../src/tokenizers/index.js';
import { TOKENIZER_DIRS, fixtureFile } from './fixtures.js';

const POOL = [
  'a', 'b', 'Z', 'e', '\u0301', '\u0308', ' ', '  ', '\t', '\n', '\r\n', '\r', '\u00a0', '\u3000', '\u2028', '\u0085',
  '\u200b', '\u200d', '\ufeff', '\u00ad', 'é', 'Å', 'ß', 'İ', 'Σ', 'ﬁ', '½', '²', 'Ⅻ', 'ｶ', 'ﾞ', 'ガ', '東', '語', '한',
  '👍', '🏽', '🇯', '🇵', '😀', '🥰', '\u0000', '\u0007', '\ufffd', '.', ',', '!', "'", '-', '$', '^', '<', '[', '1', '٣',
  'ا', 'ก', '\u0e31', '<|endoftext|>', '[MASK]', '<extra_id_0>', '</s>', '\ud800', '\udc00', '𝐁', 'ǅ', 'ﷺ', '\u1100', '\u1161',
];

function randomTexts(count: number, maxParts: number, seed: number): string[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => {
    let s = '';
    for (let n = 1 + Math.floor(next() * maxParts); n > 0; n--) s += POOL[Math.floor(next() * POOL.length)];
    return s;
  });
}

/** UTF-16 offsets to the code point offsets that the Rust binding reports. */
function toCodePoints(text: string, offsets: [number, number][]): [number, number][] {
  const index: number[] = [];
  let cp = 0;
  for (let i = 0; i <= text.length; i++) {
    index[i] = cp;
    const c = text.charCodeAt(i);
    const pairStart = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    if (i < text.length && !pairStart) cp++;
  }
  return offsets.map(([a, b]) => [index[a], index[b]]);
}

for (const dir of TOKENIZER_DIRS) {
  describe(`cross-check with Rust tokenizers: ${dir}`, () => {
    it('random awkward texts agree on every field', async () => {
      const file = fixtureFile(dir, 'tokenizer.json');
      const rust = tokenizers.Tokenizer.fromFile(file);
      const mine = tokenizerFromJSON(readFileSync(file, 'utf8'));
      for (const text of randomTexts(400, 24, 4242)) {
        const ref = await rust.encode(text);
        const got = mine.encode(text);
        const where = `text ${JSON.stringify(text)}`;
        assert.deepEqual(got.ids, ref.getIds(), where);
        assert.deepEqual(got.tokens, ref.getTokens(), where);
        assert.deepEqual(toCodePoints(text.toWellFormed(), got.offsets), ref.getOffsets(), where);
        assert.deepEqual(got.wordIds, ref.getWordIds().map((w) => w ?? null), where);
        assert.equal(mine.decode(got.ids, true), await rust.decode(ref.getIds(), true), where);
      }
    });

    it('pairs agree', async () => {
      const file = fixtureFile(dir, 'tokenizer.json');
      const rust = tokenizers.Tokenizer.fromFile(file);
      const mine = tokenizerFromJSON(readFileSync(file, 'utf8'));
      const texts = randomTexts(100, 10, 99);
      for (let i = 0; i + 1 < texts.length; i += 2) {
        const ref = await rust.encode(texts[i], texts[i + 1]);
        const got = mine.encode(texts[i], texts[i + 1]);
        assert.deepEqual(got.ids, ref.getIds());
        assert.deepEqual(got.typeIds, ref.getTypeIds());
        assert.deepEqual(got.sequenceIds, ref.getSequenceIds().map((s) => s ?? null));
      }
    });
  });
}

/** Other components, in pipelines made by editing the fixture files: each must agree with Rust. */
const VARIANTS: [string, string, (json: any) => void][] = [
  ['NFKC + Lowercase, WhitespaceSplit + Punctuation', 'bert-base-uncased', (j) => {
    j.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] };
    j.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Punctuation', behavior: 'Isolated' }] };
  }],
  ['NFD + StripAccents, Whitespace', 'bert-base-uncased', (j) => {
    j.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' }] };
    j.pre_tokenizer = { type: 'Whitespace' };
  }],
  ['NFC + Strip + Prepend', 'bert-base-uncased', (j) => {
    j.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Strip', strip_left: true, strip_right: true }, { type: 'Prepend', prepend: 'x' }] };
  }],
  ['cased BERT without accent stripping', 'bert-base-uncased', (j) => {
    j.normalizer = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: false, strip_accents: false, lowercase: false };
  }],
  ['ByteLevel with a prefix space', 'gpt2', (j) => {
    j.pre_tokenizer.add_prefix_space = true;
  }],
  ['BPE with unk and fused unknowns, Metaspace "first", byte-fallback decoders', 'gpt2', (j) => {
    j.pre_tokenizer = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: true };
    j.decoder = { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '\u2581' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] };
    j.model.unk_token = '<|endoftext|>';
    j.model.fuse_unk = true;
  }],
  ['Unigram with NFKC and an unsplit Metaspace', 't5-unigram', (j) => {
    j.pre_tokenizer.split = false;
    j.decoder.split = false;
    j.normalizer = { type: 'NFKC' };
  }],
];

describe('cross-check with Rust tokenizers: other components', () => {
  for (const [name, dir, edit] of VARIANTS) {
    it(name, async () => {
      const json = JSON.parse(readFileSync(fixtureFile(dir, 'tokenizer.json'), 'utf8'));
      edit(json);
      const text = JSON.stringify(json);
      const rust = tokenizers.Tokenizer.fromString(text);
      const mine = tokenizerFromJSON(text);
      for (const sample of randomTexts(150, 16, 7)) {
        const ref = await rust.encode(sample);
        const got = mine.encode(sample);
        const where = `text ${JSON.stringify(sample)}`;
        assert.deepEqual(got.ids, ref.getIds(), where);
        assert.deepEqual(got.tokens, ref.getTokens(), where);
        assert.deepEqual(toCodePoints(sample.toWellFormed(), got.offsets), ref.getOffsets(), where);
        assert.deepEqual(mine.encodeIds(sample), got.ids, where);
        assert.equal(mine.decode(got.ids), await rust.decode(ref.getIds(), false), where);
      }
    });
  }
});

describe('cross-check with Rust tokenizers: added token options', () => {
  const pool = ['a', 'b', ' ', '  ', '\t', '\n', 'é', '東', '.', '!', '[MASK]', '<L>', '<R>', '<W>', '<N>', 'Hello', '_', '1', 'x<W>y'];
  for (const dir of TOKENIZER_DIRS) {
    it(`${dir}: lstrip, rstrip, single_word and normalized added tokens`, async () => {
      const json = JSON.parse(readFileSync(fixtureFile(dir, 'tokenizer.json'), 'utf8'));
      const first = Math.max(...json.added_tokens.map((t: { id: number }) => t.id + 1), Array.isArray(json.model.vocab) ? json.model.vocab.length : Object.keys(json.model.vocab).length);
      const token = (k: number, content: string, more: object): object => ({ id: first + k, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false, ...more });
      json.added_tokens.push(token(0, '<L>', { lstrip: true, special: true }), token(1, '<R>', { rstrip: true }), token(2, '<W>', { single_word: true }), token(3, '<N>', { normalized: true }));
      const text = JSON.stringify(json);
      const rust = tokenizers.Tokenizer.fromString(text);
      const mine = tokenizerFromJSON(text);
      let state = 5;
      for (let i = 0; i < 300; i++) {
        let sample = '';
        for (let n = 1 + (i % 9); n > 0; n--) sample += pool[(state = (state * 1103515245 + 12345) % 2147483648) % pool.length];
        const ref = await rust.encode(sample);
        const got = mine.encode(sample);
        assert.deepEqual(got.ids, ref.getIds(), JSON.stringify(sample));
        assert.deepEqual(got.tokens, ref.getTokens(), JSON.stringify(sample));
        assert.deepEqual(got.offsets, ref.getOffsets(), JSON.stringify(sample));
        assert.deepEqual(mine.encodeIds(sample), got.ids);
        assert.equal(mine.decode(got.ids, true), await rust.decode(ref.getIds(), true), JSON.stringify(sample));
      }
    });
  }
});
