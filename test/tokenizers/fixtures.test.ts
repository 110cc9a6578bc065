// Every reference case (ids, tokens, offsets, masks, word/sequence ids, decode, truncation,
// padding, batch) through tokenizer.json, the classic files, and the fast ids-only path.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  AutoTokenizer,
  type Tokenizer,
  bertFromVocab,
  gpt2FromFiles,
  parseVocabTxt,
  t5FromSentencePiece,
  tokenizerFromJSON,
} from '../../src/tokenizers/index.js';
import { TOKENIZER_DIRS, fixtureFile, loadCases, pick, runCase } from './fixtures.js';

function classic(dir: string): Tokenizer {
  const config = JSON.parse(readFileSync(fixtureFile(dir, 'tokenizer_config.json'), 'utf8'));
  if (dir === 'gpt2') return gpt2FromFiles(readFileSync(fixtureFile(dir, 'vocab.json'), 'utf8'), readFileSync(fixtureFile(dir, 'merges.txt'), 'utf8'), config);
  if (dir === 'bert-base-uncased') return bertFromVocab(parseVocabTxt(readFileSync(fixtureFile(dir, 'vocab.txt'), 'utf8')), config);
  return t5FromSentencePiece(readFileSync(fixtureFile(dir, 'spiece.model')), config);
}

for (const dir of TOKENIZER_DIRS) {
  describe(`fixtures ${dir}`, () => {
    const cases = loadCases(dir);
    const fromJson = tokenizerFromJSON(readFileSync(fixtureFile(dir, 'tokenizer.json'), 'utf8'));
    const fromClassic = classic(dir);

    it('has cases', () => assert.ok(cases.length > 0));

    it('tokenizer.json: every case matches exactly', () => {
      for (const c of cases) assert.deepEqual(pick(runCase(fromJson, c), c.expected), c.expected, `case ${c.id}`);
    });

    it('classic files: every case matches exactly', () => {
      for (const c of cases) assert.deepEqual(pick(runCase(fromClassic, c), c.expected), c.expected, `case ${c.id}`);
    });

    it('fast ids path gives the same ids', () => {
      for (const c of cases) {
        if (c.kind !== 'encode' || c.input.truncation || c.input.padding || c.input.text_pair !== undefined) continue;
        assert.deepEqual(fromJson.encodeIds(c.input.text, c.input.add_special_tokens), c.expected.ids, `case ${c.id}`);
      }
    });

    it('AutoTokenizer picks tokenizer.json and reads the config', () => {
      const tok = AutoTokenizer.fromFolder(fixtureFile(dir, '.'));
      const c = cases.find((x) => x.id === 'hello-world')!;
      assert.deepEqual(tok.encode(c.input.text), c.expected.ids);
    });
  });
}
