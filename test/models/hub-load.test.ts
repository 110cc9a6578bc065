// fromPretrained with a Hub id, against the local mock of the Hub (downloads into a temporary HF cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, GPT2LMHeadModel } from '../../src/index.js';
import { startMockHub } from '../hub/mock-hub.js';
import { checkForwardCase, loadCases, modelFolder } from './fixture-cases.js';

test('AutoModelForCausalLM.fromPretrained(hubId) downloads through the HF cache, then loads offline from it', async () => {
  const folder = modelFolder('gpt2-tiny');
  const files = Object.fromEntries(['config.json', 'model.safetensors', 'generation_config.json'].map((f) => [f, new Uint8Array(readFileSync(join(folder, f)))]));
  const hub = await startMockHub({ repos: { 'kotoba-test/gpt2-tiny': { commit: 'a'.repeat(40), files } } });
  const cacheDir = mkdtempSync(join(tmpdir(), 'kotoba-models-hub-'));
  try {
    const options = { endpoint: hub.endpoint, cacheDir, env: {}, progress: false, token: false as const };
    const model = await AutoModelForCausalLM.fromPretrained('kotoba-test/gpt2-tiny', options);
    assert.ok(model instanceof GPT2LMHeadModel);
    const c = loadCases('gpt2-tiny').cases.find((x: any) => x.name === 'forward_defaults');
    checkForwardCase(model, c);
    assert.deepEqual(model.generationConfig?.['eos_token_id'], 100);
    const offline = await AutoModelForCausalLM.fromPretrained('kotoba-test/gpt2-tiny', { ...options, endpoint: 'http://127.0.0.1:9', offline: true });
    checkForwardCase(offline, c);
  } finally {
    await hub.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
