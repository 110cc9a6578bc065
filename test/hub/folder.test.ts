import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError, KotobaError, StateDictError } from '../../src/errors.js';
import { readModelFolder, loadPretrained } from '../../src/hub/pretrained.js';
import { savePretrained } from '../../src/hub/save.js';
import { readSafetensors } from '../../src/hub/safetensors.js';
import { writeSafetensors } from '../../src/hub/safetensors-write.js';
import { parseJson } from '../../src/hub/json.js';
import { assertShapesMatch, compareStateDict, formatLoadReport } from '../../src/hub/state-dict-report.js';
import { FIXTURES, tempDir } from './helpers.js';

const dir = tempDir();

test('reads a fixture folder: config, generation config, state dict with sources', async () => {
  const folder = join(FIXTURES, 'gpt2-tiny');
  const loaded = await loadPretrained(folder);
  assert.equal(loaded.config['model_type'], 'gpt2');
  assert.ok(loaded.generationConfig);
  assert.equal(loaded.stateDict.tensors.size, 28);
  assert.equal(loaded.stateDict.sources.get('transformer.wte.weight'), join(folder, 'model.safetensors'));
  assert.deepEqual(loaded.tokenizerFiles, {});
  await assert.rejects(loadPretrained(folder, { dtype: 'float16' as 'float32' }), /float32/);
});

test('savePretrained writes an HF folder that reads back; tied aliases are left out', () => {
  const src = readModelFolder(join(FIXTURES, 'bert-tiny-mlm'));
  const stateDict = new Map(src.stateDict.tensors);
  // The model holds the tied decoder weight as an alias; transformers does not save it.
  stateDict.set('cls.predictions.decoder.weight', stateDict.get('bert.embeddings.word_embeddings.weight')!);
  const out = join(dir, 'mlm');
  const written = savePretrained(out, {
    config: src.config,
    stateDict,
    tiedKeys: ['cls.predictions.decoder.weight'],
    files: { 'tokenizer_config.json': { model_max_length: 64, do_lower_case: true }, 'vocab.txt': '[PAD]\n[UNK]\n' },
  });
  assert.deepEqual(written, ['model.safetensors', 'tokenizer_config.json', 'vocab.txt', 'config.json']);
  assert.deepEqual(readdirSync(out).sort(), ['config.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt']);
  // Same tensors, same canonical bytes as the fixture; config as transformers writes it.
  assert.ok(readFileSync(join(out, 'model.safetensors')).equals(readFileSync(join(FIXTURES, 'bert-tiny-mlm', 'model.safetensors'))));
  assert.equal(readFileSync(join(out, 'config.json'), 'utf8'), readFileSync(join(FIXTURES, 'bert-tiny-mlm', 'config.json'), 'utf8'));
  assert.equal(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'), '{\n  "do_lower_case": true,\n  "model_max_length": 64\n}\n');
  const back = readModelFolder(out);
  assert.ok(!back.stateDict.tensors.has('cls.predictions.decoder.weight'));
  assert.deepEqual(Object.keys(back.tokenizerFiles).sort(), ['tokenizer_config.json', 'vocab.txt']);
});

test('savePretrained in bfloat16 sets torch_dtype and replaces an earlier sharded save', () => {
  const src = readModelFolder(join(FIXTURES, 't5-tiny-bf16'));
  const out = join(dir, 't5');
  mkdirSync(out);
  writeFileSync(join(out, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { x: 'model-00001-of-00002.safetensors' } }));
  writeFileSync(join(out, 'model-00001-of-00002.safetensors'), 'old');
  savePretrained(out, { config: { ...src.config, torch_dtype: 'float32' }, stateDict: src.stateDict.tensors, dtype: 'BF16', generationConfig: src.generationConfig });
  assert.deepEqual(readdirSync(out).sort(), ['config.json', 'generation_config.json', 'model.safetensors']);
  assert.ok(readFileSync(join(out, 'model.safetensors')).equals(readFileSync(join(FIXTURES, 't5-tiny-bf16', 'model.safetensors'))));
  assert.equal(readModelFolder(out).config['torch_dtype'], 'bfloat16');
});

test('sharded checkpoints load through model.safetensors.index.json', () => {
  const src = readSafetensors(join(FIXTURES, 'gpt2-tiny', 'model.safetensors')).tensors;
  const out = join(dir, 'sharded');
  mkdirSync(out);
  cpSync(join(FIXTURES, 'gpt2-tiny', 'config.json'), join(out, 'config.json'));
  const names = [...src.keys()];
  const shards = [names.slice(0, 10), names.slice(10)];
  const weightMap: Record<string, string> = {};
  shards.forEach((keys, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    writeSafetensors(join(out, file), new Map(keys.map((k) => [k, src.get(k)!])));
    for (const k of keys) weightMap[k] = file;
  });
  writeFileSync(join(out, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 1 }, weight_map: weightMap }));
  const loaded = readModelFolder(out);
  assert.equal(loaded.stateDict.tensors.size, names.length);
  assert.ok(loaded.stateDict.sources.get(names[12]!)!.endsWith('model-00002-of-00002.safetensors'));
  // An index naming the wrong shard is reported with the key.
  weightMap[names[0]!] = 'model-00002-of-00002.safetensors';
  writeFileSync(join(out, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
  assert.throws(() => readModelFolder(out), (e: Error) => e instanceof FileFormatError && e.message.includes(`"${names[0]}"`));
});

test('a broken folder names the file and the place', () => {
  const out = join(dir, 'broken');
  mkdirSync(out);
  assert.throws(() => readModelFolder(out), (e: Error) => e instanceof FileFormatError && e.message.includes('config.json'));
  writeFileSync(join(out, 'config.json'), '{\n  "model_type": "bert",\n  "hidden_size": 32,\n}\n');
  assert.throws(
    () => readModelFolder(out),
    (e: Error) => e instanceof FileFormatError && e.message.includes(join(out, 'config.json')) && e.message.includes('line 4, column 1'),
  );
  writeFileSync(join(out, 'config.json'), '{"model_type": "bert"}');
  writeFileSync(join(out, 'pytorch_model.bin'), 'pickle');
  assert.throws(() => readModelFolder(out), (e: Error) => e instanceof FileFormatError && e.message.includes('pytorch_model.bin') && e.message.includes('never loads'));
  // A corrupted weights file: the error names the file and the tensor.
  const good = readFileSync(join(FIXTURES, 'bert-tiny-cls', 'model.safetensors'));
  writeFileSync(join(out, 'model.safetensors'), good.subarray(0, good.length - 100));
  assert.throws(
    () => readModelFolder(out),
    (e: Error) => e instanceof FileFormatError && e.message.includes(join(out, 'model.safetensors')) && e.message.includes('"classifier.weight"'),
  );
  assert.ok(existsSync(join(out, 'model.safetensors')));
});

test('parseJson reports line, column and byte', () => {
  assert.throws(() => parseJson('{"a": 1 "b": 2}', 'x.json'), /x\.json: invalid JSON at line 1, column 9 \(byte 8\)/);
  assert.throws(() => parseJson('[1, 2', 'y.json'), /line 1, column 6/);
  assert.deepEqual(parseJson('\ufeff{"ok": true}', 'z.json'), { ok: true });
});

test('missing, unexpected and mismatched keys are reported like transformers', () => {
  const loaded = readModelFolder(join(FIXTURES, 'bert-tiny-cls'));
  const model = new Map<string, number[]>();
  for (const [k, t] of loaded.stateDict.tensors) if (!k.startsWith('classifier.')) model.set(k, [...t.shape]);
  model.set('classifier.weight', [5, 32]); // a different number of labels
  model.set('classifier.bias', [5]);
  model.set('cls.predictions.bias', [99]);
  model.delete('bert.pooler.dense.bias');
  const checkpoint = new Map(loaded.stateDict.tensors);
  checkpoint.set('bert.embeddings.position_ids', { dtype: 'I64', shape: [1, 64], data: new Int32Array(64) });
  const report = compareStateDict(model, checkpoint, { sources: loaded.stateDict.sources, ignoreUnexpected: [/position_ids$/] });
  assert.deepEqual(report.missing, ['cls.predictions.bias']);
  assert.deepEqual(report.unexpected, ['bert.pooler.dense.bias']);
  assert.deepEqual(report.mismatched.map((m) => m.key), ['classifier.weight', 'classifier.bias']);
  const lines = formatLoadReport(report, 'BertForSequenceClassification', 'bert-tiny-cls');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /were not used when initializing BertForSequenceClassification: \['bert.pooler.dense.bias'\]/);
  assert.match(lines[1]!, /newly initialized: \['cls.predictions.bias'\]/);
  assert.throws(
    () => assertShapesMatch(report, 'BertForSequenceClassification'),
    (e: Error) => e instanceof StateDictError && e.message.includes('classifier.weight (in ') && e.message.includes('model.safetensors') && e.message.includes('[3, 32]') && e.message.includes('[5, 32]'),
  );
  assert.deepEqual(compareStateDict(model, new Map(), { tiedKeys: [...model.keys()] }).missing, []);
});

test('unwritable targets and absurd JSON give KotobaErrors, not crashes', () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  assert.throws(
    () => savePretrained(join(file, 'model'), { config: {}, stateDict: new Map() }),
    (e: Error) => e instanceof KotobaError && e.message.includes(join(file, 'model')),
  );
  assert.throws(() => parseJson('['.repeat(200000), 'deep.json'), (e: Error) => e instanceof FileFormatError && e.message.includes('deep.json'));
});
