/** `kotoba pretrain` and `kotoba finetune` end to end on tiny data, and their errors on bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoModelForMaskedLM, readMetrics } from '../../src/index.js';
import { tempDir, toySentiment, writeData } from './helpers.js';

function kotoba(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8', env: { ...process.env, KOTOBA_QUIET_NATIVE: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const data = tempDir();
const corpus = writeData(data, 'corpus.txt', Array.from({ length: 60 }, (_, i) => toySentiment(3, i).map((x) => x.text).join(' . ')).join('\n'));
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const train = writeData(data, 'train.jsonl', jsonl(toySentiment(48, 1)));
const validation = writeData(data, 'validation.jsonl', jsonl(toySentiment(16, 2)));
const fast = ['--progress', 'lines', '--batch-size', '8', '--save-steps', '0'];

// one tiny BERT pretrained with a freshly trained tokenizer, shared by the fine-tuning tests
const bert = join(tempDir(), 'bert');
const pretrained = kotoba('pretrain', '--arch', 'bert', '--config', 'tiny', '--tokenizer', 'train', '--vocab-size', '120', '--data', corpus,
  '--out', bert, '--block-size', '16', '--max-steps', '4', '--eval-steps', '2', '--logging-steps', '2', ...fast);

test('pretrain --help documents every flag with its default', () => {
  const help = kotoba('pretrain', '--help').stdout.replace(/\s+/g, ' ');
  for (const flag of ['--arch', '--config', '--tokenizer', '--data', '--out', '--block-size', '--whole-word-mask', '--noise-density', '--epochs',
    '--max-steps', '--batch-size', '--grad-accum', '--lr', '--weight-decay', '--scheduler', '--warmup-steps', '--max-grad-norm', '--logging-steps',
    '--eval-steps', '--save-steps', '--seed', '--metric', '--early-stopping-patience', '--resume', '--skip-bad-rows', '--progress']) {
    assert.ok(help.includes(flag), `${flag} missing from --help`);
  }
  assert.match(help, /--block-size <n> tokens per training block \(documents are concatenated and cut\) \(default: 128\)/);
  assert.match(help, /--save-steps <n> save a checkpoint every N steps \(0 = only at the end\) \(default: 500\)/);
  assert.match(help, /--lr <x> peak learning rate \(default: 0\.0005\)/);
  const finetune = kotoba('finetune', '--help').stdout;
  for (const flag of ['--model', '--task', '--train', '--validation', '--label-column', '--text-column', '--max-length', '--lr']) assert.ok(finetune.includes(flag), flag);
});

test('pretrain bert: trains the tokenizer, then the model; the output folder is a loadable Hugging Face folder', async () => {
  assert.equal(pretrained.status, 0, pretrained.stderr);
  assert.match(pretrained.stderr, /pretrain bert: 60 documents/);
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'metrics.jsonl', 'training.svg', 'checkpoint-4']) assert.ok(existsSync(join(bert, f)), f);
  const evals = readMetrics(bert).filter((r) => 'eval_perplexity' in r);
  assert.deepEqual(evals.map((r) => r.step), [2, 4]);
  const model = await AutoModelForMaskedLM.fromPretrained(bert, { onWarning: () => {} });
  assert.equal(model.constructor.name, 'BertForMaskedLM');
});

test('pretrain --init-from continues from a model: its tokenizer and weights (with lr 0 they come out unchanged)', async () => {
  assert.equal(pretrained.status, 0, pretrained.stderr);
  const out = join(tempDir(), 'continued');
  const r = kotoba('pretrain', '--arch', 'bert', '--init-from', bert, '--data', corpus, '--out', out, '--block-size', '16', '--max-steps', '2',
    '--lr', '0', '--max-grad-norm', '0', ...fast);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(out, 'tokenizer.json'), 'utf8'), readFileSync(join(bert, 'tokenizer.json'), 'utf8'));
  const before = (await AutoModelForMaskedLM.fromPretrained(bert, { onWarning: () => {} })).stateDict();
  const after = (await AutoModelForMaskedLM.fromPretrained(out, { onWarning: () => {} })).stateDict();
  assert.deepEqual(Object.keys(after), Object.keys(before));
  for (const [key, tensor] of Object.entries(before)) assert.deepEqual(after[key].toFlatArray(), tensor.toFlatArray(), key);
  // with a learning rate the weights move away from the initial ones
  const moved = join(tempDir(), 'moved');
  assert.equal(kotoba('pretrain', '--arch', 'bert', '--init-from', bert, '--data', corpus, '--out', moved, '--block-size', '16', '--max-steps', '2', ...fast).status, 0);
  const changed = (await AutoModelForMaskedLM.fromPretrained(moved, { onWarning: () => {} })).stateDict();
  const key = 'bert.embeddings.word_embeddings.weight';
  assert.notDeepEqual(changed[key].toFlatArray(), before[key].toFlatArray());
  // an architecture that is not the model's is refused
  const wrong = kotoba('pretrain', '--arch', 'gpt2', '--init-from', bert, '--data', corpus, '--out', join(tempDir(), 'wrong'), ...fast);
  assert.notEqual(wrong.status, 0);
});

const t5 = join(tempDir(), 't5');

test('pretrain gpt2 and t5 (span corruption with added sentinels) run end to end', () => {
  for (const arch of ['gpt2', 't5']) {
    const out = arch === 't5' ? t5 : join(tempDir(), arch);
    const r = kotoba('pretrain', '--arch', arch, '--tokenizer', 'train', '--vocab-size', '300', '--data', corpus, '--out', out,
      '--block-size', '16', '--max-steps', '2', ...fast);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /done: 2 steps/);
    assert.ok(existsSync(join(out, 'model.safetensors')));
  }
});

test('finetune text-classification: label names mapped to ids and saved in config.json; accuracy reported', () => {
  assert.equal(pretrained.status, 0, pretrained.stderr);
  const out = join(tempDir(), 'cls');
  const r = kotoba('finetune', '--model', bert, '--task', 'text-classification', '--train', train, '--validation', validation, '--out', out,
    '--epochs', '2', '--lr', '1e-3', '--logging-steps', '2', ...fast);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /2 labels \(negative, positive\)/);
  assert.match(r.stderr, /eval_accuracy \d\.\d{4}/);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  assert.deepEqual(config.id2label, { 0: 'negative', 1: 'positive' });
  assert.deepEqual(config.label2id, { negative: 0, positive: 1 });
  assert.deepEqual(config.architectures, ['BertForSequenceClassification']);
});

test('finetune token-classification on words and tags', () => {
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran'];
  const rows = Array.from({ length: 16 }, (_, i) => {
    const tokens = [words[i % 8], words[(i + 3) % 8], words[(i + 5) % 8]];
    return { tokens, tags: tokens.map((t) => (t === 'cat' || t === 'dog' ? 'B-ANIMAL' : 'O')) };
  });
  const out = join(tempDir(), 'tok');
  const r = kotoba('finetune', '--model', bert, '--task', 'token-classification', '--train', writeData(data, 'ner.jsonl', jsonl(rows)), '--out', out,
    '--max-steps', '2', '--validation-split', '0.25', ...fast);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /eval_f1/);
});

test('finetune question-answering (SQuAD format) and text2text (from the T5 folder)', () => {
  const qa = Array.from({ length: 8 }, (_, i) => {
    const context = `the ${i % 2 ? 'cat' : 'dog'} sat on the mat`;
    return { question: 'who sat', context, answers: { text: [i % 2 ? 'cat' : 'dog'], answer_start: [4] } };
  });
  const r = kotoba('finetune', '--model', bert, '--task', 'question-answering', '--train', writeData(data, 'qa.jsonl', jsonl(qa)), '--out', join(tempDir(), 'qa'),
    '--max-steps', '2', '--validation-split', '0.25', ...fast);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /eval_exactMatch \d+\.\d{4}, eval_f1/);
  assert.ok(existsSync(join(t5, 'model.safetensors')), 'the t5 pretraining test ran first');
  const pairs = toySentiment(8, 4).map((x) => ({ source: x.text, target: x.label === 'positive' ? 'good' : 'bad' }));
  const tt = kotoba('finetune', '--model', t5, '--task', 'text2text', '--train', writeData(data, 'tt.jsonl', jsonl(pairs)), '--out', join(tempDir(), 'tt'),
    '--max-steps', '2', '--source-prefix', 'sentiment: ', ...fast);
  assert.equal(tt.status, 0, tt.stderr);
  assert.match(tt.stderr, /eval_perplexity/);
});

test('bad input stops before training with file:line and leaves the output folder empty; --skip-bad-rows skips and counts', () => {
  const cases: [string[], RegExp][] = [
    [['--train', writeData(data, 'bad.jsonl', '{"text": "good movie", "label": "positive"}\n{"text": oops}\n')], /bad\.jsonl:2: invalid JSON/],
    [['--train', train, '--validation', writeData(data, 'v.jsonl', jsonl([{ text: 'a cat', label: 'neutral' }]))], /v\.jsonl:1: unknown label "neutral"/],
    [['--train', writeData(data, 'empty.jsonl', '')], /empty\.jsonl: the data file is empty/],
    [['--train', train, '--text-column', 'sentence'], /train\.jsonl:1: there is no column "sentence"; the columns are: text, label/],
    [['--train', train, '--max-length', '4096'], /--max-length 4096 is longer than the model's context of 256 positions/],
  ];
  for (const [args, message] of cases) {
    const out = join(tempDir(), 'o');
    const r = kotoba('finetune', '--model', bert, '--task', 'text-classification', '--out', out, ...args, ...fast);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, 'nothing written');
  }
  const big = kotoba('pretrain', '--arch', 'gpt2', '--data', corpus, '--out', join(tempDir(), 'g'), '--block-size', '4096', '--vocab-size', '300');
  assert.match(big.stderr, /--block-size 4096 is longer than the model's context of 256 positions/);

  const skipped = kotoba('finetune', '--model', bert, '--task', 'text-classification', '--out', join(tempDir(), 's'), '--skip-bad-rows', '--max-steps', '1',
    '--train', writeData(data, 'mixed.jsonl', jsonl(toySentiment(12, 5)) + '{"text": broken\n[1]\n'), ...fast);
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.match(skipped.stderr, /skipped 2 bad rows \(.*mixed\.jsonl:13: invalid JSON.*mixed\.jsonl:14: expected a JSON object/);
});

test('an output folder holding checkpoints is never overwritten without --resume; with it, the run continues', () => {
  const r = kotoba('pretrain', '--arch', 'bert', '--data', corpus, '--out', bert, '--vocab-size', '120', '--block-size', '16', '--max-steps', '2');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /already holds checkpoints of a run; pass --resume/);
  const resumed = kotoba('pretrain', '--arch', 'bert', '--config', 'tiny', '--tokenizer', 'train', '--vocab-size', '120', '--data', corpus,
    '--out', bert, '--block-size', '16', '--max-steps', '6', '--eval-steps', '2', '--logging-steps', '2', ...fast, '--resume');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /Resuming from .*checkpoint-4 at step 4\/6/);
  assert.deepEqual(readMetrics(bert).filter((m) => 'eval_loss' in m).map((m) => m.step), [2, 4, 6]);
});
