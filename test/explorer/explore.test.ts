/** `kotoba explore`: Kotoba's server (OpenAI API in a worker thread) with the explorer mounted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startExplorer } from '../../src/cli/explore.js';
import { tinyModels } from './tiny-models.js';

describe('kotoba explore', () => {
  it('serves the page and the API for the given models', async () => {
    const server = await startExplorer([tinyModels().gpt2, tinyModels().t5], { port: '0' });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.match(await (await fetch(server.url)).text(), /Kotoba explorer/);
      const models = (await (await fetch(server.url + 'explorer/api/models')).json()) as { models: { name: string }[] };
      assert.deepEqual(models.models.map((m) => m.name), ['gpt2-tiny', 't5-tiny']);
      const r = await fetch(server.url + 'explorer/api/inspect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 't5-tiny', text: 'the cat' }) });
      const body = (await r.json()) as { attentions: unknown[] };
      assert.equal(r.status, 200, JSON.stringify(body));
      assert.equal(body.attentions.length, 3);
      // the OpenAI API runs next to it
      assert.equal((await fetch(server.url + 'health')).status, 200);
      const bad = await fetch(server.url + 'explorer/api/inspect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      assert.equal(bad.status, 400);
    } finally {
      await server.close();
    }
  });
});
