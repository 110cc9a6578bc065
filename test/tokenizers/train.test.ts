// Training the three tokenizer types on a streamed (gzipped) text file; the saved tokenizer.json
// must load in Hugging Face's Rust tokenizers and give the same ids.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import tokenizers from 'tokenizers';
import { KotobaError, OptionError } from '../../src/errors.js';
import { AutoTokenizer, trainTokenizer } from '../../src/tokenizers/index.js';

const temp = mkdtempSync(join(tmpdir(), 'kotoba-train-'));
after(() => rmSync(temp, { recursive: true, force: true }));
const corpus = gunzipSync(readFileSync(resolve(process.cwd(), '../shared/data/corpus/en/austen.txt.gz'))).toString('utf8').slice(0, 120_000);
const file = join(temp, 'corpus.txt.gz');
writeFileSync(file, gzipSync(corpus));
const probes = [
  ...corpus.split('\n').slice(0, 40),
  'Hello wörld, naïve café! 東京 🍕 <|endoftext|> [MASK] </s>',
  '  spaces   and\ttabs  ',
  '',
];

for (const type of ['bpe', 'wordpiece', 'unigram'] as const) {
  describe(`trainTokenizer ${type}`, () => {
    it('learns a vocabulary that Hugging Face tokenizers reproduces id for id', async () => {
      const tok = await trainTokenizer({ type, files: [file], vocabSize: type === 'unigram' ? 800 : 1200, minFrequency: 2 });
      assert.ok(tok.length <= (type === 'unigram' ? 800 : 1200));
      assert.ok(tok.length > 300, `vocabulary of ${tok.length}`);
      const folder = join(temp, type);
      tok.savePretrained(folder);
      const rust = tokenizers.Tokenizer.fromFile(join(folder, 'tokenizer.json'));
      const reloaded = AutoTokenizer.fromFolder(folder);
      for (const text of probes) {
        const ids = tok.encode(text);
        assert.deepEqual((await rust.encode(text)).getIds(), ids, JSON.stringify(text));
        assert.deepEqual(reloaded.encode(text), ids);
      }
      // Frequent words become single tokens; text decodes back.
      assert.equal(tok.tokenize(' the').length, 1);
      if (type !== 'wordpiece') assert.equal(tok.decode(tok.encode('The same words, again.'), { skipSpecialTokens: true }), 'The same words, again.');
    });
  });
}

describe('trainTokenizer errors', () => {
  it('rejects bad options and missing files', async () => {
    await assert.rejects(trainTokenizer({ type: 'bpe', files: [] }), OptionError);
    await assert.rejects(trainTokenizer({ type: 'bpe', files: [file], vocabSize: 1 }), OptionError);
    await assert.rejects(trainTokenizer({ type: 'bpe', files: [join(temp, 'missing.txt')] }), KotobaError);
  });
});
