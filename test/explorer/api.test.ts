/** The explorer's HTTP API and static files, on a fastify app with only the explorer's routes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GenerationStep, Inspection, ModelSummary } from '../../src/explorer/index.js';
import { startExplorerServer, type TestServer } from './server.js';

describe('explorer HTTP API', () => {
  let server: TestServer;
  before(async () => { server = await startExplorerServer(); });
  after(() => server.app.close());

  const post = (path: string, body: unknown) => fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the page at / and /explorer/, its modules and stylesheet, nothing from elsewhere', async () => {
    for (const path of ['/', '/explorer/']) {
      const r = await fetch(server.url + path);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/);
      const html = await r.text();
      assert.match(html, /<script type="module" src="\/explorer\/assets\/main.mjs">/);
      assert.doesNotMatch(html, /https?:\/\//, 'no external URLs');
    }
    const js = await fetch(server.url + '/explorer/assets/main.mjs');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    const source = await js.text();
    for (const m of source.matchAll(/from '([^']+)'/g)) {
      assert.match(m[1], /^\.\.?\//, 'relative imports only');
      const dep = await fetch(new URL(m[1], server.url + '/explorer/assets/main.mjs'));
      assert.equal(dep.status, 200, `${m[1]} is served`);
    }
    assert.equal((await fetch(server.url + '/explorer/assets/explorer.css')).status, 200);
    assert.equal((await fetch(server.url + '/explorer/assets/..%2Froutes.js')).status, 404);
  });

  it('lists and describes models', async () => {
    const list = (await (await fetch(server.url + '/explorer/api/models')).json()) as { models: { name: string }[] };
    assert.deepEqual(list.models.map((m) => m.name), ['bert-tiny-mlm', 'gpt2-tiny', 't5-tiny', 'bert-tiny-cls']);
    const s = (await (await fetch(server.url + '/explorer/api/models/gpt2-tiny')).json()) as ModelSummary;
    assert.deepEqual({ family: s.family, task: s.task, layers: s.layers, heads: s.heads }, { family: 'gpt2', task: 'causal-lm', layers: 2, heads: 4 });
    const missing = await fetch(server.url + '/explorer/api/models/nope');
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: { message: string } }).error.message, /no model named "nope"/);
  });

  it('inspects text: tokens, attention per layer and head, hidden states, predictions', async () => {
    const r = await post('/explorer/api/inspect', { model: 'bert-tiny-mlm', text: 'the cat sat on the [MASK].' });
    assert.equal(r.status, 200);
    const ins = (await r.json()) as Inspection;
    assert.equal(ins.tokens.length, 9);
    assert.equal(ins.attentions[0].weights.length, 2);
    assert.equal(ins.attentions[0].weights[0].length, 2);
    assert.equal(ins.attentions[0].weights[0][0].length, 9);
    assert.equal(ins.predictions.kind, 'fill-mask');
    const t5 = (await (await post('/explorer/api/inspect', { model: 't5-tiny', text: 'the cat', decoderText: 'the' })).json()) as Inspection;
    assert.deepEqual(t5.attentions.map((a) => a.kind), ['encoder', 'decoder', 'cross']);
  });

  it('steps generation', async () => {
    const first = (await (await post('/explorer/api/step', { model: 'gpt2-tiny', text: 'The cat' })).json()) as GenerationStep;
    const ids = first.inspection.tokens.map((t) => t.id);
    assert.equal(ids.at(-1), first.chosen.id);
    const second = (await (await post('/explorer/api/step', { model: 'gpt2-tiny', text: 'The cat', inputIds: ids, sample: true, seed: 1, temperature: 0.7 })).json()) as GenerationStep;
    assert.equal(second.inspection.tokens.length, ids.length + 1);
  });

  it('answers bad requests with 400 and a message naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ text: 'x' }, /"model" is required/],
      [{ model: 'gpt2-tiny', text: 5 }, /"text" must be a string/],
      [{ model: 'gpt2-tiny', text: 'x', temperature: -1 }, /temperature must be a positive number/],
      [{ model: 'gpt2-tiny', text: 'x', inputIds: ['a'] }, /"inputIds" must be an array of integer token ids/],
      [[1, 2], /must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const r = await post('/explorer/api/inspect', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(((await r.json()) as { error: { message: string } }).error.message, message);
    }
    const r = await post('/explorer/api/step', { model: 'bert-tiny-mlm', text: 'the cat' });
    assert.equal(r.status, 400);
  });
});
