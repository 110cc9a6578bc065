import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoModel, BertForSequenceClassification, BertModel, GPT2LMHeadModel, KotobaError, StateDictError, T5ForConditionalGeneration, writeSafetensors, readSafetensors,
} from '../../src/index.js';
import { modelFolder } from './fixture-cases.js';

/** A writable copy of a fixture folder. */
function copyOf(folder: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-load-'));
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(modelFolder(folder), f), join(dir, f));
  return dir;
}

async function withCopy(folder: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = copyOf(folder);
  try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('a truncated model.safetensors is an error naming the file', async () => {
  await withCopy('bert-tiny-cls', async (dir) => {
    const file = join(dir, 'model.safetensors');
    truncateSync(file, statSync(file).size - 100);
    await assert.rejects(BertForSequenceClassification.fromPretrained(dir), (e: Error) => e instanceof KotobaError && e.message.includes(file));
  });
});

test('a corrupted safetensors header is an error naming the file', async () => {
  await withCopy('gpt2-tiny', async (dir) => {
    const file = join(dir, 'model.safetensors');
    const bytes = readFileSync(file);
    bytes.write('{"x": nonsense', 8, 'latin1');
    writeFileSync(file, bytes);
    await assert.rejects(GPT2LMHeadModel.fromPretrained(dir), (e: Error) => e instanceof KotobaError && e.message.includes(file));
  });
});

test('a weight of the wrong shape is an error naming file and key', async () => {
  await withCopy('bert-tiny-cls', async (dir) => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config.vocab_size = 100; // the checkpoint has 99 rows
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    await assert.rejects(BertForSequenceClassification.fromPretrained(dir), (e: Error) =>
      e instanceof StateDictError && e.message.includes('bert.embeddings.word_embeddings.weight') && e.message.includes(join(dir, 'model.safetensors'))
      && e.message.includes('[99, 32]') && e.message.includes('[100, 32]'));
    // with ignoreMismatchedSizes the weight is re-initialized and reported instead
    const warnings: string[] = [];
    const model = await BertForSequenceClassification.fromPretrained(dir, { ignoreMismatchedSizes: true, onWarning: (m) => warnings.push(m) });
    assert.equal(model.loadReport!.mismatched[0].key, 'bert.embeddings.word_embeddings.weight');
    assert.ok(warnings.some((w) => w.includes('bert.embeddings.word_embeddings.weight')));
  });
});

test('an integer tensor where a weight belongs is an error naming file and key', async () => {
  await withCopy('bert-tiny-base-fp16', async (dir) => {
    const file = join(dir, 'model.safetensors');
    const tensors = new Map([...readSafetensors(file).tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
    const bias = tensors.get('pooler.dense.bias')!;
    tensors.set('pooler.dense.bias', { shape: bias.shape, data: new Int32Array(bias.data.length) });
    writeSafetensors(file, tensors);
    await assert.rejects(BertModel.fromPretrained(dir), (e: Error) => e instanceof StateDictError && e.message.includes('"pooler.dense.bias"') && e.message.includes(file));
  });
});

test('a folder of another model type is refused, naming config.json', async () => {
  await assert.rejects(BertModel.fromPretrained(modelFolder('gpt2-tiny')), /gpt2-tiny\/config\.json: model_type is "gpt2", but BertModel needs "bert"/);
});

test('a config field of the wrong type is named', async () => {
  await withCopy('bert-tiny-cls', async (dir) => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: '32' }));
    await assert.rejects(AutoModel.fromPretrained(dir), /config\.json: "hidden_size" must be a number/);
  });
});

test('missing weights or config give a clear error', async () => {
  await withCopy('bert-tiny-cls', async (dir) => {
    rmSync(join(dir, 'model.safetensors'));
    await assert.rejects(BertModel.fromPretrained(dir), /no model\.safetensors/);
    rmSync(join(dir, 'config.json'));
    await assert.rejects(BertModel.fromPretrained(dir), /no config\.json/);
  });
  await assert.rejects(BertModel.fromPretrained('/nonexistent/folder'), /no such folder/);
});

test('newly initialized head weights are listed in a warning, unused checkpoint weights too', async () => {
  const warnings: string[] = [];
  const model = await BertForSequenceClassification.fromPretrained(modelFolder('bert-tiny-mlm'), { numLabels: 4, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(model.loadReport!.missing, ['bert.pooler.dense.bias', 'bert.pooler.dense.weight', 'classifier.bias', 'classifier.weight']);
  assert.ok(model.loadReport!.unexpected.includes('cls.predictions.bias'));
  assert.ok(warnings.some((w) => w.includes('newly initialized') && w.includes('classifier.weight')));
  assert.ok(warnings.some((w) => w.includes('were not used') && w.includes('cls.predictions.transform.dense.weight')));
  assert.equal(model.config.numLabels, 4);
  assert.deepEqual([...model.classifier.weight.shape], [4, 32]);
  // the model is built without random draws; only the missing weights are initialized, as transformers does
  const w = model.classifier.weight.toFlatArray();
  const std = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
  assert.ok(std > 0.01 && std < 0.04, `classifier weight ~ N(0, 0.02), std ${std}`);
  assert.ok(model.classifier.bias!.toFlatArray().every((v) => v === 0));
  assert.ok(model.bert.pooler!.dense.weight.toFlatArray().some((v) => v !== 0));
});

test('T5: a layer missing from the checkpoint is initialized through its parent module', async () => {
  await withCopy('t5-tiny-v1_0', async (dir) => {
    const file = join(dir, 'model.safetensors');
    const tensors = new Map([...readSafetensors(file).tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
    const loaded = tensors.get('encoder.block.0.layer.0.SelfAttention.k.weight')!;
    tensors.delete('encoder.block.0.layer.0.SelfAttention.q.weight');
    writeSafetensors(file, tensors);
    const warnings: string[] = [];
    const model = await T5ForConditionalGeneration.fromPretrained(dir, { onWarning: (m) => warnings.push(m) });
    assert.deepEqual(model.loadReport!.missing, ['encoder.block.0.layer.0.SelfAttention.q.weight']);
    const attention = model.encoder.block.get(0).selfAttention.SelfAttention;
    assert.ok(attention.q.weight.toFlatArray().some((v) => v !== 0), 'the missing weight is initialized');
    assert.deepEqual(attention.k.weight.toFlatArray(), Array.from(loaded.data), 'its loaded siblings keep the checkpoint values');
  });
});

test('older checkpoints with non-persistent buffers load without warnings', async () => {
  await withCopy('gpt2-tiny', async (dir) => {
    const file = join(dir, 'model.safetensors');
    const tensors = new Map([...readSafetensors(file).tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
    tensors.set('transformer.h.0.attn.bias', { shape: [1, 1, 4, 4], data: new Float32Array(16) });
    tensors.set('transformer.h.0.attn.masked_bias', { shape: [], data: new Float32Array(1) });
    writeSafetensors(file, tensors);
    const warnings: string[] = [];
    await GPT2LMHeadModel.fromPretrained(dir, { onWarning: (m) => warnings.push(m) });
    assert.deepEqual(warnings, []);
  });
});
