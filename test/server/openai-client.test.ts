/**
 * The official openai client against a Kotoba server with real tiny models (GPT-2 for text,
 * BERT for embeddings), each running in its worker thread.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { makeModelFolders, type ModelFolders } from './model-folders.js';
import { client, raw, sseEvents, startTestServer, type TestServer } from './helpers.js';

let folders: ModelFolders;
let server: TestServer;
let openai: OpenAI;

before(async () => {
  folders = makeModelFolders();
  server = await startTestServer({ models: [{ name: 'gpt2-tiny', folder: folders.gpt2 }, { name: 'bert-tiny', folder: folders.bert }, { name: 't5-tiny', folder: folders.t5 }] });
  openai = client(server);
});

after(async () => {
  await server.close();
  folders.cleanup();
});

describe('completions', () => {
  it('answers with OpenAI\'s shape: id, object, created, model, choices, usage', async () => {
    const res = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'Hello the world', max_tokens: 5, temperature: 0.6 });
    assert.match(res.id, /^cmpl-[A-Za-z0-9]{29}$/);
    assert.equal(res.object, 'text_completion');
    assert.equal(res.model, 'gpt2-tiny');
    assert.ok(Number.isInteger(res.created) && Math.abs(res.created - Date.now() / 1000) < 600);
    assert.equal(res.choices.length, 1);
    const c = res.choices[0];
    assert.equal(typeof c.text, 'string');
    assert.equal(c.index, 0);
    assert.equal(c.logprobs, null);
    assert.ok(c.finish_reason === 'length' || c.finish_reason === 'stop');
    assert.ok(res.usage);
    assert.equal(res.usage.prompt_tokens, 12); // "Hello the world": 12 tokens of the test tokenizer
    assert.ok(res.usage.completion_tokens >= 1 && res.usage.completion_tokens <= 5);
    assert.equal(res.usage.total_tokens, res.usage.prompt_tokens + res.usage.completion_tokens);
  });

  it('greedy decoding (temperature 0) is repeatable, and max_tokens is honoured', async () => {
    const a = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'the cat', max_tokens: 8, temperature: 0 });
    const b = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'the cat', max_tokens: 8, temperature: 0 });
    assert.equal(a.choices[0].text, b.choices[0].text);
    assert.ok(a.usage!.completion_tokens <= 8);
  });

  it('a seed makes sampling repeatable', async () => {
    const ask = () => openai.completions.create({ model: 'gpt2-tiny', prompt: 'in', max_tokens: 10, temperature: 1, seed: 42 });
    const [a, b] = await Promise.all([ask(), ask()]);
    assert.equal(a.choices[0].text, b.choices[0].text);
  });

  it('takes every prompt form and numbers choices prompt-major with n', async () => {
    const strings = await openai.completions.create({ model: 'gpt2-tiny', prompt: ['a', 'b'], max_tokens: 2, n: 2 });
    assert.deepEqual(strings.choices.map((c) => c.index), [0, 1, 2, 3]);
    const tokens = await openai.completions.create({ model: 'gpt2-tiny', prompt: [64, 65, 66], max_tokens: 2 });
    assert.equal(tokens.usage!.prompt_tokens, 3);
    const arrays = await openai.completions.create({ model: 'gpt2-tiny', prompt: [[64], [65, 66]], max_tokens: 2 });
    assert.equal(arrays.choices.length, 2);
    assert.equal(arrays.usage!.prompt_tokens, 3);
  });

  it('echo with logprobs returns the prompt and its tokens\' logprobs (the first null)', async () => {
    const res = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'the cat', max_tokens: 3, temperature: 0, echo: true, logprobs: 2 });
    const c = res.choices[0];
    assert.ok(c.text.startsWith('the cat'));
    const lp = c.logprobs!;
    assert.equal(lp.tokens!.join(''), c.text);
    assert.equal(lp.token_logprobs![0], null);
    assert.ok(lp.token_logprobs!.slice(1).every((x) => typeof x === 'number' && x <= 0));
    lp.tokens!.forEach((t, i) => assert.equal(lp.text_offset![i], lp.tokens!.slice(0, i).join('').length));
    assert.ok(lp.top_logprobs!.slice(1).every((t) => t !== null && Object.keys(t).length >= 1));
  });

  it('stop sequences end the text before them', async () => {
    const free = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'Hello', max_tokens: 12, temperature: 0 });
    const text = free.choices[0].text;
    if (text.length >= 3) {
      const stop = text.slice(2, 3);
      const cut = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'Hello', max_tokens: 12, temperature: 0, stop: [stop] });
      assert.equal(cut.choices[0].text, text.slice(0, text.indexOf(stop)));
      assert.equal(cut.choices[0].finish_reason, 'stop');
    }
  });

  it('best_of returns the n best candidates', async () => {
    const res = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'a', max_tokens: 3, best_of: 3, n: 2 });
    assert.equal(res.choices.length, 2);
    assert.ok(res.usage!.completion_tokens >= 3); // every candidate is counted
  });

  it('penalties and logit_bias are applied: +100 on a token makes it every token', async () => {
    const res = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'a', max_tokens: 4, temperature: 0, logit_bias: { '88': 100 }, presence_penalty: 0.5, frequency_penalty: 0.5 });
    assert.equal(res.choices[0].text, 'yyyy'); // id 88 is "y" ('!' is 0)
  });

  it('streams Server-Sent Events ending with [DONE]', async () => {
    const stream = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'Hello', max_tokens: 6, temperature: 0, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'text_completion');
      for (const c of chunk.choices) {
        text += c.text;
        finish = c.finish_reason ?? finish;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    const whole = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'Hello', max_tokens: 6, temperature: 0 });
    assert.equal(text, whole.choices[0].text);
    assert.equal(finish, whole.choices[0].finish_reason);
    assert.equal(usage?.completion_tokens, whole.usage!.completion_tokens);
    const r = await raw(server, 'POST', '/v1/completions', JSON.stringify({ model: 'gpt2-tiny', prompt: 'x', max_tokens: 2, stream: true }));
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(sseEvents(r.text).at(-1), '[DONE]');
  });

  it('accepts the legacy engine name (URL and body)', async () => {
    const url = await raw(server, 'POST', '/v1/engines/gpt2-tiny/completions', JSON.stringify({ prompt: 'a', max_tokens: 2 }));
    assert.equal(url.status, 200);
    assert.equal(url.json.model, 'gpt2-tiny');
    const body = await raw(server, 'POST', '/v1/completions', JSON.stringify({ engine: 'gpt2-tiny', prompt: 'a', max_tokens: 2 }));
    assert.equal(body.status, 200);
  });
});

describe('encoder-decoder models', () => {
  it('T5 serves completions, batched prompts of different lengths included', async () => {
    const res = await openai.completions.create({ model: 't5-tiny', prompt: ['translate English to German: The house is wonderful.', 'hi'], max_tokens: 6, temperature: 0 });
    assert.equal(res.choices.length, 2);
    assert.ok(res.choices.every((c) => typeof c.text === 'string' && c.finish_reason !== null));
    assert.ok(res.usage!.completion_tokens <= 12);
  });
});

describe('chat completions', () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hello!' },
  ];

  it('answers with chat.completion', async () => {
    const res = await openai.chat.completions.create({ model: 'gpt2-tiny', messages, max_tokens: 5, logprobs: true, top_logprobs: 2 });
    assert.match(res.id, /^chatcmpl-/);
    assert.equal(res.object, 'chat.completion');
    const c = res.choices[0];
    assert.equal(c.message.role, 'assistant');
    assert.equal(typeof c.message.content, 'string');
    assert.ok(c.logprobs?.content);
    assert.ok(c.logprobs.content.every((t) => t.top_logprobs.length === 2 && Array.isArray(t.bytes)));
    // the plain template; the test tokenizer has one token per character, but " t" is merged into one
    assert.equal(res.usage!.prompt_tokens, 'System: You are terse.\nUser: Hello!\nAssistant:'.length - 1);
  });

  it('streams chat.completion.chunk: the role first, then content, then finish_reason', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt2-tiny', messages, max_tokens: 6, temperature: 0, stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.ok(chunks.at(-1)!.choices[0].finish_reason);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const whole = await openai.chat.completions.create({ model: 'gpt2-tiny', messages, max_tokens: 6, temperature: 0 });
    assert.equal(text, whole.choices[0].message.content);
  });
});

describe('embeddings', () => {
  it('returns mean-pooled vectors; the client\'s default base64 encoding round-trips', async () => {
    const res = await openai.embeddings.create({ model: 'bert-tiny', input: ['the cat sat on the mat', 'hello'] });
    assert.equal(res.object, 'list');
    assert.equal(res.data.length, 2);
    assert.deepEqual(res.data.map((d) => d.index), [0, 1]);
    assert.ok(res.data.every((d) => d.object === 'embedding' && d.embedding.length === 32));
    const floats = await openai.embeddings.create({ model: 'bert-tiny', input: 'hello', encoding_format: 'float' });
    const b64 = res.data[1].embedding;
    floats.data[0].embedding.forEach((v, i) => assert.ok(Math.abs(v - b64[i]) < 1e-6));
    assert.ok(res.usage.prompt_tokens > 0);
    assert.equal(res.usage.total_tokens, res.usage.prompt_tokens);
  });

  it('many inputs run in several batches and give each input its own vector', async () => {
    const inputs = Array.from({ length: 150 }, (_, i) => `the cat ${'sat '.repeat(i % 7)}on the mat ${i}`);
    const all = await openai.embeddings.create({ model: 'bert-tiny', input: inputs, encoding_format: 'float' });
    assert.equal(all.data.length, 150);
    for (const i of [0, 77, 149]) {
      const alone = await openai.embeddings.create({ model: 'bert-tiny', input: inputs[i], encoding_format: 'float' });
      alone.data[0].embedding.forEach((v, k) => assert.ok(Math.abs(v - all.data[i].embedding[k]) < 1e-4, `input ${i}, dim ${k}`));
    }
  });

  it('takes token ids', async () => {
    const res = await openai.embeddings.create({ model: 'bert-tiny', input: [[2, 5, 6, 3]], encoding_format: 'float' });
    assert.equal(res.usage.prompt_tokens, 4);
  });
});

describe('models', () => {
  it('lists and retrieves models', async () => {
    const ids: string[] = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    assert.deepEqual(ids.sort(), ['bert-tiny', 'gpt2-tiny', 't5-tiny']);
    const m = await openai.models.retrieve('gpt2-tiny');
    assert.equal(m.object, 'model');
    assert.equal(m.owned_by, 'kotoba');
  });
});

describe('errors surface as the client\'s APIError classes', () => {
  it('400 BadRequestError for an out-of-range field, naming it', async () => {
    await assert.rejects(openai.completions.create({ model: 'gpt2-tiny', prompt: 'a', temperature: 5 }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError);
      assert.equal(err.status, 400);
      assert.equal((err.error as any).param, 'temperature');
      assert.equal(err.type, 'invalid_request_error');
      return true;
    });
  });

  it('404 NotFoundError for an unknown model', async () => {
    await assert.rejects(openai.completions.create({ model: 'nope', prompt: 'a' }), (err: unknown) => err instanceof OpenAI.NotFoundError && err.code === 'model_not_found');
    await assert.rejects(openai.models.retrieve('nope'), OpenAI.NotFoundError);
  });

  it('400 for suffix, for a too-long prompt, for text from an encoder and embeddings from a decoder', async () => {
    await assert.rejects(openai.completions.create({ model: 'gpt2-tiny', prompt: 'a', suffix: 'b' }), (e: unknown) => e instanceof OpenAI.BadRequestError && (e.error as any).param === 'suffix');
    await assert.rejects(openai.completions.create({ model: 'gpt2-tiny', prompt: 'x'.repeat(60), max_tokens: 10 }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === 'context_length_exceeded');
    await assert.rejects(openai.completions.create({ model: 'bert-tiny', prompt: 'a' }), OpenAI.BadRequestError);
    await assert.rejects(openai.embeddings.create({ model: 'gpt2-tiny', input: 'a' }), OpenAI.BadRequestError);
  });

  it('an error in a stream\'s request is an APIError before any chunk', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'gpt2-tiny', messages: [], stream: true }), OpenAI.BadRequestError);
  });
});

describe('disconnects', () => {
  it('a client leaving a stream of the real model frees its place, and the model keeps serving', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal: controller.signal,
      body: JSON.stringify({ model: 'gpt2-tiny', prompt: 'a', max_tokens: 60, stream: true, logit_bias: { '100': -100 } }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    for (let i = 0; i < 500; i++) {
      const h = await raw(server, 'GET', '/health');
      if (h.json.models['gpt2-tiny'].running === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal((await raw(server, 'GET', '/health')).json.models['gpt2-tiny'].running, 0);
    const after = await openai.completions.create({ model: 'gpt2-tiny', prompt: 'a', max_tokens: 2 });
    assert.equal(after.choices.length, 1);
  });
});
