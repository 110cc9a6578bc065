/**
 * The HTTP layer with in-process fake engines: auth (401), loading (503), a full queue (429),
 * deadlines (504), server faults (500 without details), unknown routes, and a client that
 * disconnects mid-stream stopping its generation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { FakeEngine, Gate } from './fake-engine.js';
import { client, errorOf, raw, startTestServer } from './helpers.js';

const body = (extra: object = {}) => JSON.stringify({ model: 'fake', prompt: 'hi', max_tokens: 3, ...extra });

describe('API key', () => {
  it('401 without or with a wrong key (AuthenticationError); /health needs none', async () => {
    const server = await startTestServer({ models: [{ name: 'fake', folder: '-' }], apiKey: 'sk-right', engineFactory: () => new FakeEngine() });
    try {
      await assert.rejects(client(server, 'sk-wrong').completions.create({ model: 'fake', prompt: 'a' }), OpenAI.AuthenticationError);
      const missing = await raw(server, 'POST', '/v1/completions', body());
      assert.equal(missing.status, 401);
      assert.equal(errorOf(missing.json).code, 'invalid_api_key');
      const ok = await client(server, 'sk-right').completions.create({ model: 'fake', prompt: 'a' });
      assert.equal(ok.choices[0].text, 'xxx');
      assert.equal((await raw(server, 'GET', '/health')).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('model states and limits', () => {
  it('503 with Retry-After while the model loads; /health says loading', async () => {
    const loadGate = new Gate();
    const server = await startServerNoWait(() => new FakeEngine({ loadGate }));
    try {
      const r = await raw(server, 'POST', '/v1/completions', body());
      assert.equal(r.status, 503);
      assert.equal(errorOf(r.json).code, 'model_loading');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      const health = await raw(server, 'GET', '/health');
      assert.equal(health.status, 503);
      assert.equal(health.json.status, 'loading');
      assert.equal((await raw(server, 'GET', '/v1/models')).status, 200);
      loadGate.open();
      await server.loaded;
      assert.equal((await raw(server, 'POST', '/v1/completions', body())).status, 200);
      assert.equal((await raw(server, 'GET', '/health')).json.status, 'ok');
    } finally {
      await server.close();
    }
  });

  it('429 when the queue is full (RateLimitError), and /health answers meanwhile', async () => {
    const runGate = new Gate();
    const engine = new FakeEngine({ runGate });
    const server = await startTestServer({ models: [{ name: 'fake', folder: '-' }], engineFactory: () => engine, concurrency: 1, maxQueued: 1 });
    try {
      const first = raw(server, 'POST', '/v1/completions', body());
      await until(() => engine.started === 1);
      const second = raw(server, 'POST', '/v1/completions', body());
      await until(async () => (await raw(server, 'GET', '/health')).json.models.fake.queued === 1);
      await assert.rejects(client(server).completions.create({ model: 'fake', prompt: 'a' }), (e: unknown) => e instanceof OpenAI.RateLimitError && e.code === 'rate_limit_exceeded');
      const health = await raw(server, 'GET', '/health');
      assert.equal(health.status, 200);
      assert.deepEqual(health.json.models.fake, { state: 'ready', running: 1, queued: 1 });
      runGate.open();
      assert.deepEqual([(await first).status, (await second).status], [200, 200]);
    } finally {
      await server.close();
    }
  });

  it('504 when a request passes its deadline; the generation is aborted', async () => {
    const engine = new FakeEngine({ runGate: new Gate() });
    const server = await startTestServer({ models: [{ name: 'fake', folder: '-' }], engineFactory: () => engine, timeoutMs: 100 });
    try {
      const r = await raw(server, 'POST', '/v1/completions', body());
      assert.equal(r.status, 504);
      assert.equal(errorOf(r.json).code, 'timeout');
      await until(() => engine.aborted === 1);
    } finally {
      await server.close();
    }
  });

  it('an unexpected engine failure is a bare 500: no message details, no stack', async () => {
    const server = await startTestServer({ models: [{ name: 'fake', folder: '-' }], engineFactory: () => new FakeEngine({ fail: new Error('secret /internal/path detail') }) });
    try {
      const r = await raw(server, 'POST', '/v1/completions', body());
      assert.equal(r.status, 500);
      assert.equal(errorOf(r.json).type, 'server_error');
      assert.doesNotMatch(r.text, /secret|internal\/path|at .*\.js/);
      const s = await raw(server, 'POST', '/v1/completions', body({ stream: true }));
      assert.match(s.text, /"server_error"/);
      assert.doesNotMatch(s.text, /secret/);
      assert.match(s.text, /data: \[DONE\]\n\n$/);
    } finally {
      await server.close();
    }
  });

  it('unknown routes are 404 error objects', async () => {
    const server = await startTestServer({ models: [{ name: 'fake', folder: '-' }], engineFactory: () => new FakeEngine() });
    try {
      const r = await raw(server, 'POST', '/v1/nothing', body());
      assert.equal(r.status, 404);
      assert.match(errorOf(r.json).message, /Invalid URL \(POST \/v1\/nothing\)/);
      assert.equal((await raw(server, 'GET', '/v1/completions')).status, 404);
    } finally {
      await server.close();
    }
  });
});

describe('streaming', () => {
  it('a client that disconnects mid-stream stops its generation', async () => {
    const engine = new FakeEngine({ tokens: Infinity });
    const server = await startTestServer({ models: [{ name: 'fake', folder: '-' }], engineFactory: () => engine });
    try {
      const controller = new AbortController();
      const res = await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body({ stream: true }), signal: controller.signal });
      const reader = res.body!.getReader();
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /^data: \{/);
      controller.abort();
      await until(() => engine.aborted === 1);
      const health = await raw(server, 'GET', '/health');
      assert.deepEqual(health.json.models.fake, { state: 'ready', running: 0, queued: 0 });
    } finally {
      await server.close();
    }
  });

  it('the openai client streams chat from an engine, chunks in order', async () => {
    const server = await startTestServer({ models: [{ name: 'fake', folder: '-' }], engineFactory: () => new FakeEngine({ tokens: 4 }) });
    try {
      const stream = await client(server).chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'hi' }], stream: true, n: 2, stream_options: { include_usage: true } });
      const text = ['', ''];
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        for (const c of chunk.choices) text[c.index] += c.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      assert.deepEqual(text, ['xxxx', 'xxxx']);
      assert.deepEqual(usage, { prompt_tokens: 1, completion_tokens: 8, total_tokens: 9 });
    } finally {
      await server.close();
    }
  });
});

/** Polls a condition (bounded: 10 s) — for states reached asynchronously, never for timing. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached within 10 s');
}

/** A server whose models may still be loading (startTestServer waits for them). */
async function startServerNoWait(engineFactory: () => FakeEngine) {
  const { startServer } = await import('../../src/server/index.js');
  return startServer({ models: [{ name: 'fake', folder: '-' }], engineFactory, host: '127.0.0.1', port: 0 });
}
