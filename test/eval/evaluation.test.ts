/** The evaluation's plumbing: the results file, the table, word alignment, the T5 prefixes, and a quick CLI run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { T5_TASKS } from '../../scripts/make-t5-task-mix.js';
import { writeResultsFile, type ReportedResult } from '../../src/eval/results.js';
import { T5_EVAL_TASKS } from '../../src/eval/t5-tasks.js';
import { formatTable } from '../../src/eval/table.js';
import { firstSubTokens } from '../../src/eval/tasks/pos.js';
import { joinWords as wordSpans } from '../../src/training/data/labeled.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/eval -> the repo root
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

const result: ReportedResult = {
  task: 'sentiment', dataset: 'sentiment_uci', split: 'test', n: 245, metric: 'accuracy', value: 0.81,
  higher_is_better: true, baselines: [{ name: 'TF-IDF + logistic regression (same train split)', value: 0.79 }], note: 'printed only',
};

test('eval_results.json has exactly the documented shape and is written atomically', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-eval-'));
  try {
    const path = writeResultsFile(dir, [result], new Date('2026-11-28T20:00:00Z'));
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(Object.keys(parsed), ['measured_at', 'results']);
    assert.equal(parsed.measured_at, '2026-11-28T20:00:00.000Z');
    assert.deepEqual(parsed.results, [{
      task: 'sentiment', dataset: 'sentiment_uci', split: 'test', n: 245, metric: 'accuracy', value: 0.81,
      higher_is_better: true, baselines: [{ name: 'TF-IDF + logistic regression (same train split)', value: 0.79 }],
    }]);
    assert.deepEqual(readdirSync(dir), ['eval_results.json']); // no temporary file left
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the table: a header, one row per result with its baselines, notes, skipped models', () => {
  const text = formatTable([
    { model: 'kotoba-bert-mini-sentiment', present: true, results: [result], seconds: 1 },
    { model: 'kotoba-bert-mini-pos', present: false, why: 'no model folder', results: [], seconds: 0 },
  ]);
  const lines = text.split('\n');
  assert.match(lines[0], /^\| model +\| task +\| dataset +\| split +\| n +\| metric +\| model value +\| baselines \|$/);
  assert.match(lines[2], /kotoba-bert-mini-sentiment \| sentiment \[1\] +\| sentiment_uci \| test +\| 245 \| accuracy \(higher is better\) \| 81\.0% +\| TF-IDF \+ logistic regression \(same train split\): 79\.0% \|/);
  assert.match(lines[3], /kotoba-bert-mini-pos +\| \(skipped\)/);
  assert.ok(lines.includes('[1] printed only'));
});

test('first sub-token of each word', () => {
  const { text, spans } = wordSpans(['The', 'unaffable', 'dog']);
  assert.equal(text, 'The unaffable dog');
  // [CLS] the una ##ffa ##ble dog [SEP]
  const offsets: [number, number][] = [[0, 0], [0, 3], [4, 7], [7, 10], [10, 13], [14, 17], [0, 0]];
  assert.deepEqual(firstSubTokens(spans, offsets, [1, 0, 0, 0, 0, 0, 1]), [1, 2, 5]);
  // a word without tokens (truncated away) gets -1
  assert.deepEqual(firstSubTokens(spans, offsets.slice(0, 3), [1, 0, 0]), [1, 2, -1]);
});

test("the T5 evaluation uses the fine-tuning mix's prefixes and columns", () => {
  assert.deepEqual(
    T5_EVAL_TASKS.map((t) => [t.prefix, t.set, t.input, t.output]),
    T5_TASKS.map((t) => [t.prefix, t.set, t.input, t.output]),
  );
});

test('kotoba eval --only kotoba-bert-mini-sentiment --limit 20 --no-write prints the table and writes nothing', () => {
  const modelDir = join(ROOT, 'models', 'kotoba-bert-mini-sentiment');
  const resultsFile = join(modelDir, 'eval_results.json');
  const before = existsSync(resultsFile) ? statSync(resultsFile).mtimeMs : null;
  const r = spawnSync(process.execPath, [MAIN, 'eval', '--only', 'kotoba-bert-mini-sentiment', '--limit', '20', '--no-write'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^\| model +\| task +\| dataset +\| split +\| n +\| metric +\| model value +\| baselines \|$/);
  if (existsSync(join(modelDir, 'config.json'))) {
    const row = lines.find((l) => l.startsWith('| kotoba-bert-mini-sentiment'));
    assert.ok(row, r.stdout);
    assert.match(row!, /\| sentiment +\| sentiment_uci \| test +\| 20 \| accuracy \(higher is better\) \| \d+\.\d% +\| TF-IDF \+ logistic regression .*: \d+\.\d%; majority class .*: \d+\.\d% \|$/);
  } else {
    assert.match(r.stdout, /kotoba-bert-mini-sentiment +\| \(skipped\)/);
  }
  assert.match(r.stdout, /timings: /);
  assert.equal(existsSync(resultsFile) ? statSync(resultsFile).mtimeMs : null, before);
});
