import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readModelFolder } from '../../src/hub/pretrained.js';
import { readSafetensors } from '../../src/hub/safetensors.js';
import { savePretrained } from '../../src/hub/save.js';
import { alignBasePrefix, renameLegacyKeys } from '../../src/hub/state-dict-keys.js';
import { FIXTURES, tempDir } from './helpers.js';

test('LayerNorm gamma/beta load as weight/bias, in files and in memory', () => {
  const sources = new Map([['a.LayerNorm.gamma', 'f1'], ['a.LayerNorm.beta', 'f1'], ['gammaray.weight', 'f2']]);
  const renamed = renameLegacyKeys(new Map([...sources.keys()].map((k) => [k, k])), sources);
  assert.deepEqual([...renamed.keys()], ['a.LayerNorm.weight', 'a.LayerNorm.bias', 'gammaray.weight']);
  assert.equal(renamed.get('a.LayerNorm.weight'), 'a.LayerNorm.gamma');
  assert.deepEqual([...sources.keys()].sort(), ['a.LayerNorm.bias', 'a.LayerNorm.weight', 'gammaray.weight']);

  const folder = tempDir();
  const { tensors } = readSafetensors(join(FIXTURES, 'bert-tiny-base-fp16', 'model.safetensors'));
  const old = new Map([...tensors].map(([k, t]) => [k.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'), t]));
  savePretrained(folder, { config: { model_type: 'bert' }, stateDict: old });
  const loaded = readModelFolder(folder);
  assert.deepEqual([...loaded.stateDict.tensors.keys()].sort(), [...tensors.keys()].sort());
  assert.ok(loaded.stateDict.sources.get('embeddings.LayerNorm.weight')!.endsWith('model.safetensors'));
});

test('base-model prefix is stripped or added as transformers does', () => {
  const head = new Map([['bert.embeddings.x', 1], ['bert.pooler.y', 2], ['classifier.weight', 3]]);
  const base = ['embeddings.x', 'pooler.y'];
  assert.deepEqual([...alignBasePrefix(head, base, 'bert').keys()], ['embeddings.x', 'pooler.y', 'classifier.weight']);
  const baseCkpt = new Map([['embeddings.x', 1]]);
  assert.deepEqual([...alignBasePrefix(baseCkpt, ['bert.embeddings.x', 'classifier.weight'], 'bert').keys()], ['bert.embeddings.x']);
  assert.deepEqual([...alignBasePrefix(head, ['bert.embeddings.x'], 'bert').keys()], [...head.keys()]);
});
