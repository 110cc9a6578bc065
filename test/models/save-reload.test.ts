import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoModelForCausalLM, AutoModelForMaskedLM, AutoModelForSeq2SeqLM, AutoModelForSequenceClassification, BertModel,
  noGrad, openSafetensors, type Tensor,
} from '../../src/index.js';
import { forwardInputs, loadCases, modelFolder } from './fixture-cases.js';

const quiet = { onWarning: () => {} };

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kotoba-models-'));
}

function savedKeys(folder: string): string[] {
  const f = openSafetensors(join(folder, 'model.safetensors'));
  try { return f.names(); } finally { f.close(); }
}

function sameTensors(a: Tensor, b: Tensor, what: string): void {
  assert.deepEqual([...a.shape], [...b.shape], `${what}: shape`);
  assert.deepEqual(a.toFlatArray(), b.toFlatArray(), `${what}: values`);
}

const CASES: [any, string, string[]][] = [
  [AutoModelForSequenceClassification, 'bert-tiny-cls', []],
  [AutoModelForMaskedLM, 'bert-tiny-mlm', ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias']],
  [AutoModelForCausalLM, 'gpt2-tiny', ['lm_head.weight']],
  [AutoModelForSeq2SeqLM, 't5-tiny-v1_0', ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight', 'lm_head.weight']],
  [AutoModelForSeq2SeqLM, 't5-tiny-v1_1', ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight']],
];

for (const [auto, folder, tiedAbsent] of CASES) {
  test(`${folder}: savePretrained -> fromPretrained gives identical outputs; tied weights saved once`, async () => {
    const dir = tmp();
    try {
      const model = await auto.fromPretrained(modelFolder(folder), quiet);
      model.savePretrained(dir);
      const keys = savedKeys(dir);
      const original = savedKeys(modelFolder(folder));
      assert.deepEqual([...keys].sort(), [...original].sort(), 'the same keys as the Hugging Face checkpoint');
      for (const k of tiedAbsent) assert.ok(!keys.includes(k), `${k} is a tied alias and must not be saved`);
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      assert.deepEqual(config.architectures, [model.constructor.name]);
      const warnings: string[] = [];
      const reloaded = await auto.fromPretrained(dir, { onWarning: (m: string) => warnings.push(m) });
      assert.deepEqual(warnings, []);
      const c = loadCases(folder).cases.find((x: any) => x.kind === 'forward' && x.model_class === model.constructor.name);
      const a = noGrad(() => model.forward(forwardInputs(c)));
      const b = noGrad(() => reloaded.forward(forwardInputs(c)));
      sameTensors(a.logits, b.logits, 'logits');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a float16 checkpoint saved as float16 reloads with identical outputs', async () => {
  const dir = tmp();
  try {
    const model = await BertModel.fromPretrained(modelFolder('bert-tiny-base-fp16'));
    model.savePretrained(dir, { dtype: 'float16' });
    const f = openSafetensors(join(dir, 'model.safetensors'));
    try { assert.equal(f.header.tensors.get('embeddings.word_embeddings.weight')?.dtype, 'F16'); } finally { f.close(); }
    assert.equal(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).torch_dtype, 'float16');
    const reloaded = await BertModel.fromPretrained(dir);
    const inputs = { inputIds: [[2, 5, 7, 9, 3]] };
    const a = noGrad(() => model.forward(inputs));
    const b = noGrad(() => reloaded.forward(inputs));
    sameTensors(a.lastHiddenState, b.lastHiddenState, 'lastHiddenState');
    sameTensors(a.poolerOutput!, b.poolerOutput!, 'poolerOutput');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('savePretrained copies the tokenizer files the model was loaded with', async () => {
  const src = tmp();
  const dst = tmp();
  try {
    const model = await AutoModelForSequenceClassification.fromPretrained(modelFolder('bert-tiny-cls'));
    model.savePretrained(src, { files: { 'vocab.txt': '[PAD]\n[UNK]\n' } });
    const reloaded = await AutoModelForSequenceClassification.fromPretrained(src);
    assert.ok('vocab.txt' in reloaded.tokenizerFiles);
    reloaded.savePretrained(dst);
    assert.equal(readFileSync(join(dst, 'vocab.txt'), 'utf8'), '[PAD]\n[UNK]\n');
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(dst, { recursive: true, force: true });
  }
});
