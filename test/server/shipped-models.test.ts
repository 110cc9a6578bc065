// `kotoba serve` with no --model serves the shipped models in models/, reached with the official openai client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';

const shipped = readdirSync(resolve('models')).filter((name) => existsSync(join('models', name, 'config.json'))).sort();

test('kotoba serve without --model serves every shipped model', { timeout: 180_000 }, async () => {
  assert.ok(shipped.includes('kotoba-gpt-mini') && shipped.includes('kotoba-bert-mini'), `shipped models: ${shipped.join(', ')}`);
  const child = spawn(process.execPath, ['dist/src/cli/main.js', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(out);
        if (m) ok(m[1]);
      });
      child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${out}`)));
    });
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 20 });
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id).sort(), shipped);
    // 503 while loading is retried by the client (maxRetries), so this waits for the model
    const completion = await client.completions.create({ model: 'kotoba-gpt-mini', prompt: 'Once upon a time', max_tokens: 8, temperature: 0 });
    assert.equal(completion.choices.length, 1);
    assert.equal(typeof completion.choices[0].text, 'string');
    assert.ok(completion.usage!.completion_tokens >= 1 && completion.usage!.completion_tokens <= 8);
    const embedding = await client.embeddings.create({ model: 'kotoba-bert-mini', input: ['Hello, my dog is cute'] });
    assert.equal(embedding.data.length, 1);
    assert.ok(embedding.data[0].embedding.length > 0 && embedding.data[0].embedding.every(Number.isFinite));
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
  } finally {
    child.kill('SIGTERM');
  }
});
