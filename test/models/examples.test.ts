// The seed's examples 1 and 5 run as written, on a fixture BERT folder (with and without tokenizer files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { modelFolder } from './fixture-cases.js';

const run = (script: string, folder: string) =>
  execFileSync(process.execPath, [resolve('dist/examples', script), folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** bert-tiny-cls plus a vocab.txt, so the examples use the tokenizer. */
function folderWithVocab(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-example-'));
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(modelFolder('bert-tiny-cls'), f), join(dir, f));
  const words = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', ',', 'my', 'dog', 'is', 'cute'];
  while (words.length < 99) words.push(`word${words.length}`);
  writeFileSync(join(dir, 'vocab.txt'), words.join('\n') + '\n');
  return dir;
}

test('example 1 prints the last hidden state and pooler output shapes', () => {
  const out = run('01-bert-hidden-states.js', modelFolder('bert-tiny-cls'));
  assert.match(out, /last hidden state: +\[1, 8, 32\]/);
  assert.match(out, /pooler output: +\[1, 32\]/);
  const dir = folderWithVocab();
  try {
    const withTokenizer = run('01-bert-hidden-states.js', dir);
    assert.match(withTokenizer, /input ids: +\[2, 5, 6, 7, 8, 9, 10, 3\]/, 'the tokenizer encodes [CLS] hello , my dog is cute [SEP]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('example 5 prints the predicted label', () => {
  const out = run('05-bert-classification.js', modelFolder('bert-tiny-cls'));
  assert.match(out, /predicted label: [0-2] \(LABEL_[0-2]\)/);
  const dir = folderWithVocab();
  try {
    assert.match(run('05-bert-classification.js', dir), /predicted label: [0-2] \(LABEL_[0-2]\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Out of the box: with no argument, each example runs on Kotoba's shipped models in models/.
const runDefault = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, [resolve('dist/examples', script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

test('example 1 runs on the shipped kotoba-bert-mini by default', async () => {
  const { AutoTokenizer, BertModel } = await import('../../src/index.js');
  const folder = resolve('models/kotoba-bert-mini');
  const ids = AutoTokenizer.fromFolder(folder).encode('Hello, my dog is cute', { addSpecialTokens: true });
  const hidden = (await BertModel.fromPretrained(folder, { onWarning: () => {} })).config.hiddenSize;
  const out = runDefault('01-bert-hidden-states.js');
  assert.match(out, new RegExp(`input ids: +\\[${ids.join(', ')}\\]`));
  assert.match(out, new RegExp(`last hidden state: +\\[1, ${ids.length}, ${hidden}\\]`));
  assert.match(out, new RegExp(`pooler output: +\\[1, ${hidden}\\]`));
});

test('example 2 fine-tunes with AdamW and prints "Epoch i/n - Loss: x.xxxx"', () => {
  const out = runDefault('02-bert-fine-tuning.js');
  const lines = out.trim().split('\n').filter((l) => l.startsWith('Epoch'));
  assert.deepEqual(lines.map((l) => l.replace(/Loss: .*/, '')), ['Epoch 1/3 - ', 'Epoch 2/3 - ', 'Epoch 3/3 - ']);
  for (const l of lines) assert.match(l, /^Epoch \d\/3 - Loss: \d+\.\d{4}$/);
  // on a fixture folder with another learning rate, too
  const fixture = runDefault('02-bert-fine-tuning.js', resolve('models/kotoba-bert-mini'), '1e-3');
  assert.equal(fixture.split('\n').filter((l) => /^Epoch \d\/3 - Loss: \d+\.\d{4}$/.test(l)).length, 3);
});

test('example 4 translates with T5 and decodes without special tokens', async () => {
  const { AutoTokenizer, T5ForConditionalGeneration } = await import('../../src/index.js');
  const folder = resolve('models/kotoba-t5-mini');
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const model = await T5ForConditionalGeneration.fromPretrained(folder);
  const text = 'translate English to German: The house is wonderful.';
  const expected = tokenizer.decode(model.generate(tokenizer.call(text, { returnTensors: 'kotoba' }).inputIds, { maxNewTokens: 40 }).select(0, 0).toArray() as number[], { skipSpecialTokens: true });
  const out = runDefault('04-t5-translation.js');
  assert.match(out, /^input: +translate English to German: The house is wonderful\.$/m);
  assert.equal(out.split('\n').find((l) => l.startsWith('output:'))!.replace(/^output: /, ''), expected);
  assert.doesNotMatch(out, /<\/s>|<pad>/);
});

test('example 5 classifies with the shipped sentiment model by default', async () => {
  const { readFileSync } = await import('node:fs');
  const config = JSON.parse(readFileSync(resolve('models/kotoba-bert-mini-sentiment/config.json'), 'utf8')) as { id2label: Record<string, string> };
  const out = runDefault('05-bert-classification.js');
  const m = /predicted label: (\d) \((\w+)\)/.exec(out);
  assert.ok(m, out);
  assert.equal(config.id2label[m[1]], m[2]);
  assert.ok(['positive', 'negative'].includes(m[2]));
});
