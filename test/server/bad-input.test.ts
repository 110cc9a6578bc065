/**
 * Hundreds of malformed or hostile requests: wrong types and ranges for every field, huge
 * numbers, deep nesting, invalid UTF-8, oversized bodies and prompts, prototype keys. Each must
 * get a 4xx with OpenAI's error object, and the server must stay healthy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeModelFolders, type ModelFolders } from './model-folders.js';
import { errorOf, raw, startTestServer, type TestServer } from './helpers.js';

let folders: ModelFolders;
let server: TestServer;

before(async () => {
  folders = makeModelFolders();
  server = await startTestServer({
    models: [{ name: 'gpt2-tiny', folder: folders.gpt2 }, { name: 'bert-tiny', folder: folders.bert }],
    bodyLimit: 1024 * 1024,
  });
});

after(async () => {
  await server.close();
  folders.cleanup();
});

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Values of the wrong type or range for each kind of field. */
const NOT_A_NUMBER = ['"1"', 'true', '{}', '[]', '[1]', deepArray(50)];
const HUGE = ['1e308', '-1e308', '1e999', '-1e999', '9007199254740993', '123456789012345678901234567890'];
const NOT_A_BOOL = ['1', '0', '"true"', '{}', '[]'];
const NOT_A_STRING = ['1', 'true', '{}', '[]', '["a"]'];

type Case = { path: string; body: string | Uint8Array; what: string };

function fieldCases(path: string, base: Record<string, unknown>, fields: Record<string, string[]>): Case[] {
  const cases: Case[] = [];
  const head = JSON.stringify(base).slice(0, -1);
  for (const [field, values] of Object.entries(fields)) {
    for (const v of values) cases.push({ path, body: `${head},${JSON.stringify(field)}:${v}}`, what: `${path} ${field}=${v.slice(0, 40)}` });
  }
  return cases;
}

const completions = fieldCases('/v1/completions', { model: 'gpt2-tiny', prompt: 'a' }, {
  model: ['1', 'null', '""', '{}', '["gpt2-tiny"]', JSON.stringify('x'.repeat(10_000))],
  prompt: ['1', 'true', '{}', '[]', '[1.5]', '[-1]', '[101]', '[1e12]', '["a", 1]', '[[1], "a"]', '[[]]', '[[1.5]]', '[null]', deepArray(1000), JSON.stringify('a'.repeat(300_000)), JSON.stringify(Array(3000).fill('a'))],
  max_tokens: [...NOT_A_NUMBER, ...HUGE, '-1', '1.5', '65'],
  temperature: [...NOT_A_NUMBER, ...HUGE, '-0.1', '2.01'],
  top_p: [...NOT_A_NUMBER, '-0.5', '1.5', '1e308'],
  n: [...NOT_A_NUMBER, ...HUGE, '0', '-1', '2.5', '129'],
  stream: NOT_A_BOOL,
  stream_options: ['{"include_usage":true}', '1', '[]'],
  logprobs: [...NOT_A_NUMBER, '-1', '6', '2.5', '1e308'],
  echo: NOT_A_BOOL,
  stop: ['1', 'true', '{}', '[1]', '["a","b","c","d","e"]', '[""]', JSON.stringify(['x'.repeat(300)]), deepArray(100)],
  presence_penalty: [...NOT_A_NUMBER, '-2.5', '2.5', '1e999'],
  frequency_penalty: [...NOT_A_NUMBER, '-2.5', '2.5', '-1e999'],
  best_of: [...NOT_A_NUMBER, '0', '21', '1.5', '1e308'],
  logit_bias: ['1', '"a"', '[]', '[1,2]', '{"a":1}', '{"-1":1}', '{"101":1}', '{"1e3":1}', '{"1":101}', '{"1":-101}', '{"1":"1"}', '{"1":{}}', '{"1":1e999}', deepObject(200),
    JSON.stringify(Object.fromEntries(Array.from({ length: 301 }, (_, i) => [String(i), 1])))],
  seed: [...NOT_A_NUMBER, '1.5', '1e300', '-1e300'],
  user: [...NOT_A_STRING, JSON.stringify('u'.repeat(1000))],
  suffix: ['"tail"', '1', '{}'],
  unknown_field: ['1', 'null', '{}'],
  __proto__: ['{"polluted":true}'],
  constructor: ['{"prototype":{}}'],
});

const chat = fieldCases('/v1/chat/completions', { model: 'gpt2-tiny', messages: [{ role: 'user', content: 'hi' }] }, {
  messages: ['null', '1', '"hi"', '{}', '[]', '[1]', '[null]', '[{}]', '[{"role":"user"}]', '[{"role":"wizard","content":"x"}]', '[{"role":1,"content":"x"}]',
    '[{"role":"user","content":1}]', '[{"role":"user","content":{}}]', '[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]',
    '[{"role":"user","content":[{"type":"text"}]}]', '[{"role":"user","content":[1]}]', '[{"role":"user","content":"x","name":1}]', deepArray(2000),
    JSON.stringify(Array(3000).fill({ role: 'user', content: 'a' })), JSON.stringify([{ role: 'user', content: 'a'.repeat(200_000) }])],
  max_tokens: [...NOT_A_NUMBER, ...HUGE, '-1', '0.5'],
  max_completion_tokens: [...NOT_A_NUMBER, '-1', '1e308'],
  temperature: [...NOT_A_NUMBER, '3', '-1'],
  top_p: ['2', '-1', '"x"'],
  n: ['0', '1000', '"2"'],
  stream: NOT_A_BOOL,
  logprobs: NOT_A_BOOL,
  top_logprobs: ['-1', '21', '1.5', '"3"', '5'],
  stop: ['1', '[1]', '["a","b","c","d","e"]'],
  logit_bias: ['[]', '{"x":1}', '{"1":500}'],
  seed: ['"1"', '0.5'],
  response_format: ['{"type":"json_object"}', '"text"', '1'],
  tools: ['[{"type":"function","function":{"name":"f"}}]', '1'],
  tool_choice: ['"required"', '{"type":"function"}'],
  functions: ['[{"name":"f"}]'],
  modalities: ['["text"]'],
});

const embeddings = fieldCases('/v1/embeddings', { model: 'bert-tiny', input: 'hi' }, {
  input: ['null', '1', 'true', '{}', '[]', '[""]', '""', '[1.5]', '[-1]', '[99]', '[[]]', '["a", 1]', '[[1],[2.5]]', deepArray(500), JSON.stringify('a '.repeat(1000)), JSON.stringify(Array(3000).fill('a'))],
  encoding_format: ['"binary"', '1', '{}'],
  dimensions: ['0', '-1', '16', '1.5', '"32"', '1e308'],
  user: NOT_A_STRING,
  model: ['"gpt2-tiny"', '"missing"', '42'],
});

const whole: Case[] = [
  ...['', ' ', 'not json', '{', '{"model":', '[]', '[1,2]', 'null', '123', '"str"', 'true', "{'model':'gpt2-tiny'}", '{"model":"gpt2-tiny",}', deepArray(100_000), deepObject(50_000), '\u0000']
    .flatMap((b) => ['/v1/completions', '/v1/chat/completions', '/v1/embeddings'].map((path) => ({ path, body: b, what: `${path} body ${JSON.stringify(b.slice(0, 20))}` }))),
  ...[[0x7b, 0xff, 0xfe, 0x7d], [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf, 0x7b, 0x7d], [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d]]
    .map((bytes) => ({ path: '/v1/completions', body: Uint8Array.from(bytes), what: `invalid UTF-8 ${bytes.join(',')}` })),
  { path: '/v1/completions', body: JSON.stringify({ model: 'gpt2-tiny', prompt: 'a'.repeat(1_100_000) }), what: 'body over the limit (413)' },
  { path: '/v1/chat/completions', body: JSON.stringify({ model: 'gpt2-tiny', messages: [{ role: 'user', content: 'b'.repeat(2_000_000) }] }), what: 'chat body over the limit (413)' },
];

describe('bad input', () => {
  const cases = [...completions, ...chat, ...embeddings, ...whole];

  it(`answers each of ${cases.length} malformed or hostile requests with a 4xx and an error object`, async () => {
    assert.ok(cases.length >= 300, `only ${cases.length} cases`);
    const failures: string[] = [];
    let next = 0;
    // eight requests at a time, until every case has been sent
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < cases.length) {
        const c = cases[next++];
        const r = await raw(server, 'POST', c.path, c.body);
        try {
          assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
          errorOf(r.json);
          assert.doesNotMatch(r.text, /\bat [\w.<>]+ \(|node:internal|\.js:\d+/, 'a stack trace');
        } catch (err) {
          failures.push(`${c.what}: ${(err as Error).message} — ${r.text.slice(0, 200)}`);
        }
      }
    }));
    assert.deepEqual(failures, []);
  });

  it('413 for a body over the limit', async () => {
    const r = await raw(server, 'POST', '/v1/completions', JSON.stringify({ model: 'gpt2-tiny', prompt: 'a'.repeat(1_100_000) }));
    assert.equal(r.status, 413);
    assert.equal(errorOf(r.json).code, 'request_too_large');
  });

  it('stays healthy and serves valid requests afterwards', async () => {
    assert.equal((await raw(server, 'GET', '/health')).status, 200);
    const ok = await raw(server, 'POST', '/v1/completions', JSON.stringify({ model: 'gpt2-tiny', prompt: 'a', max_tokens: 2 }));
    assert.equal(ok.status, 200);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
