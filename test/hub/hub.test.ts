import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KotobaError } from '../../src/errors.js';
import { HubError } from '../../src/hub/errors.js';
import { HubConnectionError } from '../../src/hub/http.js';
import { hubDownload, resolveModelPath } from '../../src/hub/hub.js';
import { loadPretrained } from '../../src/hub/pretrained.js';
import { FIXTURES, tempDir } from './helpers.js';
import { closedEndpoint, startMockHub } from './mock-hub.js';

const COMMIT = 'a'.repeat(39) + '1';
const PRIVATE_COMMIT = 'b'.repeat(39) + '2';
const fixture = (folder: string, file: string) => readFileSync(join(FIXTURES, folder, file));

const tiny = {
  commit: COMMIT,
  files: {
    'config.json': fixture('gpt2-tiny', 'config.json'),
    'generation_config.json': fixture('gpt2-tiny', 'generation_config.json'),
    'model.safetensors': fixture('gpt2-tiny', 'model.safetensors'),
    'tokenizer.json': '{"version": "1.0"}',
  },
};
const hub = await startMockHub({
  repos: {
    'org/tiny': tiny,
    'org/secret': { commit: PRIVATE_COMMIT, private: true, files: { 'config.json': '{}', 'model.safetensors': fixture('bert-tiny-tok', 'model.safetensors') } },
    'org/pickle-only': { commit: COMMIT, files: { 'config.json': '{}', 'pytorch_model.bin': 'x' } },
  },
  renamed: { 'old-org/tiny': 'org/tiny' },
  token: 'hf_test_token',
});
after(() => hub.close());

/** Options isolated from the real environment: own cache, no token file, no progress bar. */
function opts(cacheDir: string, extra: Record<string, unknown> = {}) {
  return { cacheDir, endpoint: hub.endpoint, env: {}, progress: false, token: false as const, ...extra };
}

function requestsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; count: number }> {
  const before = hub.requests.length;
  return fn().then((result) => ({ result, count: hub.requests.length - before }));
}

test('downloads into the HF cache layout: refs, blobs by ETag, relative snapshot links, .no_exist', async () => {
  const cache = tempDir();
  const folder = await resolveModelPath('org/tiny', opts(cache, { token: 'hf_test_token' }));
  const repo = join(cache, 'models--org--tiny');
  assert.equal(folder, join(repo, 'snapshots', COMMIT));
  assert.equal(readFileSync(join(repo, 'refs', 'main'), 'utf8'), COMMIT);
  for (const [name, content] of Object.entries(tiny.files)) {
    assert.ok(readFileSync(join(folder, name)).equals(Buffer.from(content)), name);
    assert.ok(lstatSync(join(folder, name)).isSymbolicLink(), name);
    assert.match(readlinkSync(join(folder, name)), /^\.\.\/\.\.\/blobs\/[0-9a-f]+$/);
  }
  // The LFS file's blob is named by X-Linked-Etag (its sha256), not by the CDN's ETag.
  const sha256 = (await import('node:crypto')).createHash('sha256').update(tiny.files['model.safetensors']).digest('hex');
  assert.equal(readlinkSync(join(folder, 'model.safetensors')), `../../blobs/${sha256}`);
  assert.ok(existsSync(join(repo, '.no_exist', COMMIT, 'vocab.txt')));
  assert.deepEqual(readdirSync(join(repo, 'blobs')).filter((f) => f.includes('incomplete') || f.startsWith('.')), []);
  // The token goes to the Hub, never to the CDN on another origin.
  const recent = hub.requests.slice(-12);
  assert.ok(recent.some((r) => r.server === 'hub' && r.auth === 'Bearer hf_test_token'));
  assert.ok(recent.some((r) => r.server === 'cdn'));
  assert.ok(recent.filter((r) => r.server === 'cdn').every((r) => r.auth === undefined));

  const loaded = await loadPretrained('org/tiny', opts(cache));
  assert.equal(loaded.config['model_type'], 'gpt2');
  assert.equal(loaded.stateDict.tensors.size, 28);
  assert.deepEqual(Object.keys(loaded.tokenizerFiles), ['tokenizer.json']);

  // Cache hits: a commit hash needs no request at all; offline needs none; an unreachable Hub
  // falls back to the cache for a branch.
  assert.equal((await requestsDuring(() => resolveModelPath('org/tiny', opts(cache, { revision: COMMIT })))).count, 0);
  assert.equal((await requestsDuring(() => resolveModelPath('org/tiny', opts(cache, { env: { HF_HUB_OFFLINE: '1' } })))).count, 0);
  assert.equal(await resolveModelPath('org/tiny', opts(cache, { endpoint: await closedEndpoint() })), folder);
  // Online with a branch: one request revalidates config.json, the rest come from the snapshot.
  const { count } = await requestsDuring(() => resolveModelPath('org/tiny', opts(cache)));
  assert.equal(count, 1);
});

test('offline with an empty cache never touches the network and says what is missing', async () => {
  const cache = tempDir();
  const { count } = await requestsDuring(async () => {
    await assert.rejects(resolveModelPath('org/tiny', opts(cache, { offline: true })), (e: Error) => {
      assert.ok(e instanceof HubError);
      assert.match(e.message, /org\/tiny@main/);
      assert.match(e.message, /HF_HUB_OFFLINE/);
      assert.match(e.message, /refs\/main/);
      return true;
    });
  });
  assert.equal(count, 0);
});

test('a cache written by huggingface_hub (plain files, no blobs) loads offline', async () => {
  const cache = tempDir();
  const snap = join(cache, 'models--gpt2', 'snapshots', COMMIT);
  mkdirSync(snap, { recursive: true });
  mkdirSync(join(cache, 'models--gpt2', 'refs'));
  writeFileSync(join(cache, 'models--gpt2', 'refs', 'main'), COMMIT);
  for (const f of ['config.json', 'model.safetensors']) writeFileSync(join(snap, f), fixture('gpt2-tiny', f));
  const loaded = await loadPretrained('gpt2', { cacheDir: cache, offline: true, env: {}, token: false });
  assert.equal(loaded.folder, snap);
  assert.equal(loaded.stateDict.tensors.size, 28);
  // Online but the Hub is unreachable: the same cache serves, unknown optional files count as absent.
  const viaFallback = await loadPretrained('gpt2', { cacheDir: cache, endpoint: await closedEndpoint(), env: {}, token: false, progress: false });
  assert.equal(viaFallback.folder, snap);
  assert.equal(viaFallback.generationConfig, undefined);
  // $HF_HOME/hub is the default cache.
  const home = join(cache, 'home');
  mkdirSync(join(home, 'hub'), { recursive: true });
  await assert.rejects(resolveModelPath('gpt2', { env: { HF_HOME: home, HF_HUB_OFFLINE: 'true' } }), (e: Error) => e.message.includes(join(home, 'hub')));
});

test('401 asks for HF_TOKEN; the right token works', async () => {
  const cache = tempDir();
  await assert.rejects(resolveModelPath('org/secret', opts(cache)), (e: Error) => e instanceof HubError && e.status === 401 && /HF_TOKEN/.test(e.message) && /org\/secret/.test(e.message));
  const folder = await resolveModelPath('org/secret', opts(cache, { env: { HF_TOKEN: 'hf_test_token' }, token: undefined }));
  assert.equal(folder, join(cache, 'models--org--secret', 'snapshots', PRIVATE_COMMIT));
});

test('404s name the repo, file and revision', async () => {
  const cache = tempDir();
  await assert.rejects(resolveModelPath('org/nope', opts(cache)), (e: Error) => e instanceof HubError && e.status === 404 && e.message.includes('org/nope') && /repository not found/.test(e.message));
  await assert.rejects(hubDownload('org/tiny', 'missing.txt', opts(cache)), (e: Error) => e instanceof HubError && e.message.includes('org/tiny@main') && e.message.includes('missing.txt'));
  await assert.rejects(resolveModelPath('org/tiny', opts(cache, { revision: 'v9' })), (e: Error) => e instanceof HubError && e.message.includes('org/tiny@v9') && /revision not found/.test(e.message));
  await assert.rejects(resolveModelPath('org/pickle-only', opts(cache)), (e: Error) => e instanceof HubError && e.message.includes('pytorch_model.bin'));
  await assert.rejects(resolveModelPath('./no/such/folder', opts(cache)), (e: Error) => e instanceof KotobaError && e.message.includes('no such folder'));
  await assert.rejects(resolveModelPath('not a repo id!', opts(cache)), (e: Error) => e instanceof KotobaError && e.message.includes('not a valid Hub id'));
});

test('a connection dropped mid-file leaves no partial blob, and a retry succeeds', async () => {
  const cache = tempDir();
  hub.dropNext('model.safetensors');
  await assert.rejects(resolveModelPath('org/tiny', opts(cache)), (e: Error) => {
    assert.ok(e instanceof HubConnectionError, String(e));
    assert.match(e.message, /model\.safetensors/);
    assert.match(e.message, /run again/);
    return true;
  });
  const repo = join(cache, 'models--org--tiny');
  const blobs = readdirSync(join(repo, 'blobs'));
  assert.ok(blobs.every((b) => !b.includes('incomplete') && !b.startsWith('.')), blobs.join());
  const sizes = blobs.map((b) => readFileSync(join(repo, 'blobs', b)).length);
  assert.ok(!sizes.includes(tiny.files['model.safetensors'].length >> 1));
  assert.ok(!existsSync(join(repo, 'snapshots', COMMIT, 'model.safetensors')));
  const folder = await resolveModelPath('org/tiny', opts(cache));
  assert.ok(readFileSync(join(folder, 'model.safetensors')).equals(tiny.files['model.safetensors']));
});

test('relative redirects (renamed repos) are followed', async () => {
  const cache = tempDir();
  const path = await hubDownload('old-org/tiny', 'config.json', opts(cache));
  assert.equal(path, join(cache, 'models--old-org--tiny', 'snapshots', COMMIT, 'config.json'));
  assert.ok(readFileSync(path).equals(tiny.files['config.json']));
});

test('an unreachable Hub with nothing cached is a clear connection error', async () => {
  const cache = tempDir();
  await assert.rejects(resolveModelPath('org/tiny', opts(cache, { endpoint: await closedEndpoint() })), (e: Error) => e instanceof HubConnectionError && /could not reach/.test(e.message) && /HF_HUB_OFFLINE/.test(e.message));
});

test('offline with config cached but no weights says so', async () => {
  const cache = tempDir();
  await hubDownload('org/tiny', 'config.json', opts(cache));
  await assert.rejects(resolveModelPath('org/tiny', opts(cache, { offline: true })), (e: Error) => e instanceof HubError && /HF_HUB_OFFLINE/.test(e.message) && /model\.safetensors/.test(e.message));
});

test('a cache folder that cannot be written is a HubError naming it', async () => {
  const base = tempDir();
  const blocker = join(base, 'not-a-folder');
  writeFileSync(blocker, 'x');
  await assert.rejects(resolveModelPath('org/tiny', opts(join(blocker, 'hub'))), (e: Error) => e instanceof HubError && e.message.includes(join(blocker, 'hub')) && /HF_HUB_CACHE/.test(e.message));
});
