// savePretrained's maxShardSize: shards of at most the limit, an index as transformers writes it,
// the same tensors read back, and a later single-file save removing the shards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readModelFolder } from '../../src/hub/pretrained.js';
import { savePretrained } from '../../src/hub/save.js';
import { parseJson } from '../../src/hub/json.js';
import { readFileSync } from 'node:fs';
import { tempDir } from './helpers.js';

function tensors(): Map<string, { shape: number[]; data: Float32Array }> {
  const m = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, n] of [['a.weight', 1000], ['b.weight', 600], ['c.weight', 3000], ['d.bias', 10]] as const) {
    m.set(name, { shape: [n], data: Float32Array.from({ length: n }, (_, i) => Math.sin(i + n)) });
  }
  return m;
}

test('maxShardSize splits the weights in key order; every shard fits unless one tensor alone is larger', () => {
  const folder = tempDir();
  const stateDict = tensors();
  savePretrained(folder, { config: { model_type: 'bert' }, stateDict, maxShardSize: 6000 });
  const shards = readdirSync(folder).filter((f) => f.endsWith('.safetensors')).sort();
  // float32 bytes: a 4000, b 2400 (a+b > 6000: new shard), c 12000 (over the limit: a shard of its own), d 40 (after c: new shard)
  assert.deepEqual(shards, [1, 2, 3, 4].map((i) => `model-0000${i}-of-00004.safetensors`));
  const index = parseJson(readFileSync(join(folder, 'model.safetensors.index.json'), 'utf8'), 'index') as { metadata: { total_size: number }; weight_map: Record<string, string> };
  assert.equal(index.metadata.total_size, (1000 + 600 + 3000 + 10) * 4);
  assert.deepEqual(index.weight_map, {
    'a.weight': shards[0], 'b.weight': shards[1], 'c.weight': shards[2], 'd.bias': shards[3],
  });
  for (const s of shards.slice(0, 2)) assert.ok(statSync(join(folder, s)).size <= 6000 + 400, `${s} stays near the limit (header included)`);
  const loaded = readModelFolder(folder).stateDict.tensors;
  for (const [key, t] of stateDict) assert.deepEqual([...(loaded.get(key)!.data as Float32Array)], [...t.data], key);

  // saving again as one file removes the shards and the index
  savePretrained(folder, { config: { model_type: 'bert' }, stateDict });
  assert.deepEqual(readdirSync(folder).filter((f) => f.includes('safetensors')), ['model.safetensors']);
});

test('a limit above the total writes one model.safetensors; float16 halves the sizes counted', () => {
  const folder = tempDir();
  savePretrained(folder, { config: { model_type: 'bert' }, stateDict: tensors(), maxShardSize: 1e9 });
  assert.deepEqual(readdirSync(folder).filter((f) => f.includes('safetensors')), ['model.safetensors']);
  const half = tempDir();
  savePretrained(half, { config: { model_type: 'bert' }, stateDict: tensors(), dtype: 'F16', maxShardSize: 6000 });
  const index = parseJson(readFileSync(join(half, 'model.safetensors.index.json'), 'utf8'), 'index') as { metadata: { total_size: number }; weight_map: Record<string, string> };
  assert.equal(index.metadata.total_size, (1000 + 600 + 3000 + 10) * 2);
  // a 2000 + b 1200 fit together at 2 bytes each; c 6000 bytes needs its own shard
  assert.equal(index.weight_map['a.weight'], index.weight_map['b.weight']);
  assert.notEqual(index.weight_map['c.weight'], index.weight_map['a.weight']);
});
