/** AutoTokenizer.fromPretrained takes a folder or a Hub id resolved through the Hugging Face cache. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KotobaError } from '../../src/errors.js';
import { AutoTokenizer } from '../../src/tokenizers/index.js';

const BERT = resolve(process.cwd(), '../shared/fixtures/tokenizers/bert-base-uncased');

describe('AutoTokenizer.fromPretrained', () => {
  it('loads a local folder', async () => {
    const tok = await AutoTokenizer.fromPretrained(BERT);
    assert.deepEqual(tok.encode('Hello, my dog is cute'), [101, 7592, 1010, 2026, 3899, 2003, 10140, 102]);
  });

  it('resolves a Hub id through a cache laid out as huggingface_hub writes it, offline', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kotoba-hf-cache-'));
    try {
      const commit = 'a'.repeat(40);
      const repo = join(cache, 'models--google--bert-tiny-test');
      const snapshot = join(repo, 'snapshots', commit);
      mkdirSync(snapshot, { recursive: true });
      mkdirSync(join(repo, 'refs'));
      writeFileSync(join(repo, 'refs', 'main'), commit);
      writeFileSync(join(snapshot, 'config.json'), JSON.stringify({ model_type: 'bert' }));
      for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(join(BERT, f), join(snapshot, f));
      const tok = await AutoTokenizer.fromPretrained('google/bert-tiny-test', { cacheDir: cache, offline: true });
      assert.deepEqual(tok.encode('Hello, my dog is cute'), [101, 7592, 1010, 2026, 3899, 2003, 10140, 102]);
      await assert.rejects(AutoTokenizer.fromPretrained('google/not-cached', { cacheDir: cache, offline: true }), KotobaError);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('fromFolder refuses a path that is not a folder, pointing to fromPretrained for Hub ids', () => {
    assert.throws(() => AutoTokenizer.fromFolder('org/name'), /fromPretrained/);
  });
});
