/** `kotoba models`: the shipped models present, with parameter counts and sizes computed here, and the Hugging Face cache. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, readModelFolder } from '../../src/index.js';
import { SHIPPED_MODELS } from '../../src/models/shipped.js';
import { kotoba, shipped, tempDir } from './helpers.js';

const names = Object.keys(SHIPPED_MODELS) as (keyof typeof SHIPPED_MODELS)[];

function bytesUnder(folder: string): number {
  return readdirSync(folder).reduce((sum, f) => {
    const st = statSync(join(folder, f));
    return sum + (st.isDirectory() ? bytesUnder(join(folder, f)) : st.size);
  }, 0);
}

/** An HF cache with one repo: two snapshots, main pointing at the second. */
function fakeCache(): { dir: string; commits: string[] } {
  const dir = tempDir('kotoba-hf-cache-');
  const root = join(dir, 'models--some-org--tiny-model');
  const commits = ['a'.repeat(40), 'b'.repeat(40)];
  for (const c of commits) {
    mkdirSync(join(root, 'snapshots', c), { recursive: true });
    writeFileSync(join(root, 'snapshots', c, 'config.json'), '{}');
  }
  mkdirSync(join(root, 'refs'), { recursive: true });
  writeFileSync(join(root, 'refs', 'main'), commits[1]);
  mkdirSync(join(root, 'blobs'));
  writeFileSync(join(root, 'blobs', 'x'), '12345');
  mkdirSync(join(dir, 'datasets--someone--data')); // not a model
  return { dir, commits };
}

test('models --json: the shipped models present, parameters = the weights\' element counts, size = the files\' bytes', () => {
  const cache = fakeCache();
  const r = kotoba(['models', '--json'], { HF_HUB_CACHE: cache.dir });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const present = names.filter((n) => shipped(n));
  assert.deepEqual(out.shipped.map((m: { name: string }) => m.name), present);
  for (const m of out.shipped) {
    const folder = shipped(m.name)!;
    let count = 0;
    for (const t of readModelFolder(folder).stateDict.tensors.values()) count += t.data.length; // every shard
    assert.equal(m.parameters, count, m.name);
    assert.equal(m.bytes, bytesUnder(folder), m.name);
    assert.equal(m.architecture, (readConfig(folder)['architectures'] as string[])[0]);
    assert.equal(m.description, SHIPPED_MODELS[m.name as keyof typeof SHIPPED_MODELS]);
    assert.equal(m.path, folder);
  }
  assert.equal(out.cacheDir, cache.dir);
  assert.deepEqual(out.cached, [{
    repoId: 'some-org/tiny-model',
    revisions: [{ commit: cache.commits[0], refs: [], files: ['config.json'] }, { commit: cache.commits[1], refs: ['main'], files: ['config.json'] }],
    bytes: 5,
  }]);
});

test('models: a table of the shipped models and the cache; an empty cache is fine', () => {
  const r = kotoba(['models'], { HF_HUB_CACHE: join(tempDir(), 'no-cache-here') });
  assert.equal(r.status, 0, r.stderr);
  for (const n of names) assert.equal(r.stdout.includes(`${n} `), shipped(n) !== null, n);
  assert.match(r.stdout, /Hugging Face cache \(.*no-cache-here\): no models/);
  const cache = fakeCache();
  const listed = kotoba(['models'], { HF_HUB_CACHE: cache.dir });
  assert.match(listed.stdout, /some-org\/tiny-model\s+aaaaaaaaaaaa, bbbbbbbbbbbb \(main\)\s+5 B/);
});

test('models: none shipped when the models folder is empty', () => {
  const r = kotoba(['models', '--json'], { KOTOBA_MODELS_DIR: tempDir(), HF_HUB_CACHE: tempDir() });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).shipped, []);
});

test('models: an unreadable shipped model (weights being written) is listed with its error; the others still are', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'kotoba-gpt-mini'));
  writeFileSync(join(dir, 'kotoba-gpt-mini', 'config.json'), JSON.stringify({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] }));
  writeFileSync(join(dir, 'kotoba-gpt-mini', 'model.safetensors'), Buffer.from([1, 2, 3]));
  mkdirSync(join(dir, 'kotoba-t5-mini'));
  writeFileSync(join(dir, 'kotoba-t5-mini', 'config.json'), JSON.stringify({ model_type: 't5' })); // no weights yet
  const r = kotoba(['models', '--json'], { KOTOBA_MODELS_DIR: dir, HF_HUB_CACHE: tempDir() });
  assert.equal(r.status, 0, r.stderr);
  const [gpt, t5] = JSON.parse(r.stdout).shipped;
  assert.equal(gpt.name, 'kotoba-gpt-mini');
  assert.equal(gpt.parameters, null);
  assert.match(gpt.error, /model\.safetensors.*too short/);
  assert.deepEqual([t5.name, t5.architecture, t5.parameters, t5.error], ['kotoba-t5-mini', 't5', 0, undefined]);
  const table = kotoba(['models'], { KOTOBA_MODELS_DIR: dir, HF_HUB_CACHE: tempDir() });
  assert.match(table.stdout, /kotoba-gpt-mini: cannot read it: .*too short/);
});
