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
