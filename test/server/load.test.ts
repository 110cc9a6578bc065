/**
 * Load: 50 concurrent clients, each sending streaming and non-streaming completions and chat
 * requests to a tiny model. Every request must be answered (a full response or a complete
 * stream) or rejected with 429 — none lost, none failed — and the server must be healthy after.
 * Whether any 429 happens depends on timing, so it is allowed, never required.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { makeModelFolders, type ModelFolders } from './model-folders.js';
import { client, raw, startTestServer, type TestServer } from './helpers.js';

let folders: ModelFolders;
let server: TestServer;

before(async () => {
  folders = makeModelFolders();
  server = await startTestServer({ models: [{ name: 'gpt2-tiny', folder: folders.gpt2 }], concurrency: 8, maxQueued: 24, timeoutMs: 60_000 });
});

after(async () => {
  await server.close();
  folders.cleanup();
});

type Outcome = 'answered' | 'rate-limited';

async function oneRequest(openai: OpenAI, kind: number, i: number): Promise<Outcome> {
  const max_tokens = 4 + (i % 12);
  try {
    if (kind === 0) {
      const r = await openai.completions.create({ model: 'gpt2-tiny', prompt: `the cat ${i}`, max_tokens, temperature: 0.6 });
      assert.equal(typeof r.choices[0].text, 'string');
      assert.ok(r.choices[0].finish_reason);
    } else if (kind === 1) {
      const stream = await openai.completions.create({ model: 'gpt2-tiny', prompt: `hello ${i}`, max_tokens, stream: true });
      let finished = false;
      for await (const chunk of stream) if (chunk.choices[0]?.finish_reason) finished = true;
      assert.ok(finished, 'the stream ended without a finish_reason');
    } else if (kind === 2) {
      const r = await openai.chat.completions.create({ model: 'gpt2-tiny', messages: [{ role: 'user', content: `hi ${i}` }], max_tokens, seed: i });
      assert.equal(typeof r.choices[0].message.content, 'string');
    } else {
      const stream = await openai.chat.completions.create({ model: 'gpt2-tiny', messages: [{ role: 'user', content: `yo ${i}` }], max_tokens, stream: true });
      let finished = false;
      for await (const chunk of stream) if (chunk.choices[0]?.finish_reason) finished = true;
      assert.ok(finished, 'the stream ended without a finish_reason');
    }
    return 'answered';
  } catch (err) {
    if (err instanceof OpenAI.RateLimitError) return 'rate-limited';
    throw err;
  }
}

describe('load', () => {
  it('50 concurrent clients with mixed streaming and non-streaming requests: all answered or 429, none lost', async () => {
    const clients = 50;
    const perClient = 2;
    const outcomes = await Promise.all(Array.from({ length: clients }, async (_, c) => {
      const openai = client(server);
      const mine: Outcome[] = [];
      for (let k = 0; k < perClient; k++) mine.push(await oneRequest(openai, (c + k) % 4, c * perClient + k));
      return mine;
    }));
    const all = outcomes.flat();
    assert.equal(all.length, clients * perClient);
    const answered = all.filter((o) => o === 'answered').length;
    assert.ok(answered > 0);
    console.log(`load: ${answered} answered, ${all.length - answered} rejected with 429`);
  });

  it('is healthy afterwards, with nothing left running or queued', async () => {
    const health = await raw(server, 'GET', '/health');
    assert.equal(health.status, 200);
    assert.deepEqual(health.json.models['gpt2-tiny'], { state: 'ready', running: 0, queued: 0 });
    const ok = await client(server).completions.create({ model: 'gpt2-tiny', prompt: 'a', max_tokens: 2 });
    assert.equal(ok.choices.length, 1);
  });

  it('/health answers while generations run in the worker thread', async () => {
    const openai = client(server);
    const work = Promise.all(Array.from({ length: 16 }, (_, i) => openai.completions.create({ model: 'gpt2-tiny', prompt: `x${i}`, max_tokens: 60 })));
    let sawRunning = false;
    for (let i = 0; i < 200 && !sawRunning; i++) {
      const h = await raw(server, 'GET', '/health');
      assert.equal(h.status, 200);
      sawRunning = h.json.models['gpt2-tiny'].running > 0;
    }
    await work;
    assert.ok(sawRunning, '/health never answered while a generation was running');
  });
});
