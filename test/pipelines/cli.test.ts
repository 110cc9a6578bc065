// `kotoba run <task> <text...>`: the built CLI in a child process, against the library's pipelines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pipeline } from '../../src/pipelines/index.js';
import { quiet, tempFolder, testModels, writeStandIn } from './helpers.js';

const { dir } = testModels();
const MAIN = resolve('dist/src/cli/main.js');

function kotoba(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, 'run', ...args], {
    encoding: 'utf8',
    env: { ...process.env, KOTOBA_MODELS_DIR: dir, KOTOBA_QUIET_NATIVE: '1', HF_HUB_OFFLINE: '1' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('sentiment-analysis prints the label and score; --json prints the pipeline result', async () => {
  const text = 'I love this phone';
  const r = kotoba('sentiment-analysis', text);
  assert.equal(r.status, 0, r.stderr);
  const [expected] = await (await pipeline('sentiment-analysis', undefined, quiet))(text);
  assert.match(r.stdout, new RegExp(`^${expected.label}\\s+${expected.score.toFixed(4)}\\n$`));
  const json = kotoba('sentiment-analysis', text, '--json', '--top-k', '2');
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), await (await pipeline('sentiment-analysis', undefined, quiet))(text, { topK: 2 }));
});

test('ner with --aggregation-strategy, fill-mask with --top-k, several texts', async () => {
  const text = 'Alice lives in Paris';
  const ner = kotoba('ner', text, '--aggregation-strategy', 'simple', '--json');
  assert.equal(ner.status, 0, ner.stderr);
  const groups = await (await pipeline('ner', undefined, quiet))(text, { aggregationStrategy: 'simple' });
  assert.deepEqual(JSON.parse(ner.stdout), JSON.parse(JSON.stringify(groups)));
  const readable = kotoba('ner', text, '--aggregation-strategy', 'simple');
  assert.equal(readable.stdout.trim().split('\n').length, groups.length, 'one line per group');
  const fill = kotoba('fill-mask', 'the cat sat on the [MASK]', 'a [MASK] is good', '--top-k', '2');
  assert.equal(fill.status, 0, fill.stderr);
  const blocks = fill.stdout.trim().split('\n\n');
  assert.equal(blocks.length, 2, 'one block per text');
  assert.ok(blocks[0].startsWith('> the cat sat on the [MASK]\n'));
  assert.equal(blocks[0].split('\n').length, 3, 'the text and two candidates');
});

test('text-generation and translation print the generated text', async () => {
  const gen = kotoba('text-generation', 'Once upon a time', '--max-new-tokens', '5');
  assert.equal(gen.status, 0, gen.stderr);
  const [expected] = await (await pipeline('text-generation', undefined, quiet))('Once upon a time', { maxNewTokens: 5 });
  assert.equal(gen.stdout, `${expected.generated_text}\n`);
  const tr = kotoba('translation_en_to_de', 'The house is wonderful.', '--max-new-tokens', '6', '--json');
  assert.equal(tr.status, 0, tr.stderr);
  const out = JSON.parse(tr.stdout);
  assert.deepEqual(Object.keys(out[0]), ['translation_text']);
  const plain = kotoba('translation', 'The house is wonderful.', '--src-lang', 'en', '--tgt-lang', 'de', '--max-new-tokens', '6', '--json');
  assert.deepEqual(JSON.parse(plain.stdout), out, 'the plain task with the languages as flags');
});

test('question-answering takes --question and the context', async () => {
  const folder = writeStandIn(tempFolder(), 'qa');
  const r = kotoba('question-answering', '--model', folder, '--question', 'Where does Alice live?', 'Alice lives in Paris.', '--json');
  assert.equal(r.status, 0, r.stderr);
  const expected = await (await pipeline('question-answering', folder, quiet))({ question: 'Where does Alice live?', context: 'Alice lives in Paris.' });
  assert.deepEqual(JSON.parse(r.stdout), expected);
});

test('errors print one line without a stack trace and exit non-zero', () => {
  for (const args of [
    ['sentiment-anlysis', 'text'],
    ['fill-mask', 'no mask here'],
    ['text-generation', 'hi', '--model', 'kotoba-bert-mini'],
    ['ner', 'hi', '--aggregation-strategy', 'maximum'],
    ['sentiment-analysis', 'hi', '--top-k', 'many'],
    ['question-answering', 'just one text', '--model', 'kotoba-bert-mini'],
    ['sentiment-analysis', 'hi', '--model', 'no-such-model'],
  ]) {
    const r = kotoba(...args);
    assert.notEqual(r.status, 0, args.join(' '));
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0], /^kotoba: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  assert.match(kotoba('sentiment-anlysis', 'text').stderr, /unknown task "sentiment-anlysis"; the tasks are text-classification/);
  assert.match(kotoba('sentiment-analysis', 'hi', '--model', 'no-such-model').stderr, /"no-such-model" is not a shipped model \(kotoba-bert-mini, .*\) nor a model folder/);
});
