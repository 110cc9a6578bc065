/**
 * `kotoba serve` as a user starts it, and the article's example 3 (examples/03-openai-completion.ts)
 * run as a program against a Kotoba server.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { parseModelFlag, shippedModels } from '../../src/cli/serve.js';
import { makeModelFolders, type ModelFolders } from './model-folders.js';

let folders: ModelFolders;
before(() => { folders = makeModelFolders(); });
after(() => folders.cleanup());

describe('kotoba serve', () => {
  it('parses --model name=folder, and finds shipped model folders', () => {
    assert.deepEqual(parseModelFlag('tiny=/x/y'), { name: 'tiny', folder: '/x/y' });
    assert.deepEqual(parseModelFlag('/x/gpt2-small/'), { name: 'gpt2-small', folder: '/x/gpt2-small/' });
    assert.deepEqual(shippedModels(folders.root).map((m) => m.name), ['bert-tiny', 'gpt2-long', 'gpt2-tiny', 't5-tiny']);
  });

  it('binds to 127.0.0.1, serves the models it is given, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['dist/src/cli/main.js', 'serve', '--model', `tiny=${folders.gpt2}`, '--port', '0', '--api-key', 'k'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(out);
          if (m && out.includes('tiny: ready')) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);
      const denied = await fetch(`${url}/v1/models`);
      assert.equal(denied.status, 401);
      const models = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer k' } });
      assert.deepEqual((await models.json() as { data: { id: string }[] }).data.map((m) => m.id), ['tiny']);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('example 3', () => {
  it('prints choices[0].text of a 100-token completion from a local Kotoba server', () => {
    const r = spawnSync(process.execPath, ['dist/examples/03-openai-completion.js'], {
      env: { ...process.env, KOTOBA_EXAMPLE_MODEL: folders.gpt2Long }, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.length > 1, 'no text printed');
  });
});
