/**
 * The BERT evaluations end to end on tiny random models made here (CI has no shipped models):
 * a WordPiece tokenizer trained on a few sentiment_uci texts, and 1-layer BERTs with the masked-LM,
 * sequence- and token-classification heads saved as kotoba-bert-mini*, evaluated with --limit 10.
 * The values are meaningless; the test checks that each runs and writes a well-formed file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSplit } from '../../src/eval/data.js';
import { runEvaluation } from '../../src/eval/run.js';
import { BertConfig, BertForMaskedLM, BertForSequenceClassification, BertForTokenClassification } from '../../src/models/index.js';
import { trainTokenizer } from '../../src/tokenizers/index.js';

const DATA = fileURLToPath(new URL('../../../../shared/data', import.meta.url)); // dist/test/eval -> ../shared/data

test('the BERT evaluations run end to end on tiny random models', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-eval-models-'));
  try {
    const textFile = join(dir, 'texts.txt');
    writeFileSync(textFile, readSplit(DATA, 'sentiment_uci', 'train').slice(0, 400).map((r) => String(r.text)).join('\n'));
    const tokenizer = await trainTokenizer({ type: 'wordpiece', files: [textFile], vocabSize: 300 });
    const config = (labels: string[]) => new BertConfig({
      vocab_size: tokenizer.vocabSize, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32,
      max_position_embeddings: 512, id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    });
    const models = {
      'kotoba-bert-mini': new BertForMaskedLM(config(['LABEL_0', 'LABEL_1'])),
      'kotoba-bert-mini-sentiment': new BertForSequenceClassification(config(['negative', 'positive'])),
      'kotoba-bert-mini-pos': new BertForTokenClassification(config(['at', 'nn', 'vb', 'in', '.'])),
    };
    for (const [name, model] of Object.entries(models)) {
      model.savePretrained(join(dir, name));
      tokenizer.savePretrained(join(dir, name));
    }
    let printed = '';
    const evaluations = await runEvaluation({
      data: DATA, models: dir, limit: 10, only: Object.keys(models), write: true,
      log: () => {}, print: (t) => (printed += t + '\n'),
    });
    assert.deepEqual(evaluations.map((e) => [e.model, e.present, e.results.length]), [
      ['kotoba-bert-mini', true, 1], ['kotoba-bert-mini-sentiment', true, 1], ['kotoba-bert-mini-pos', true, 1],
    ]);
    const words = readSplit<{ tokens: string[] }>(DATA, 'brown_pos', 'test').slice(0, 10).reduce((s, r) => s + r.tokens.length, 0);
    const expected: Record<string, [string, number | null]> = {
      'kotoba-bert-mini': ['masked-token accuracy', null],
      'kotoba-bert-mini-sentiment': ['accuracy', 10],
      'kotoba-bert-mini-pos': ['token accuracy', words],
    };
    for (const name of Object.keys(models)) {
      const file = JSON.parse(readFileSync(join(dir, name, 'eval_results.json'), 'utf8'));
      assert.deepEqual(Object.keys(file), ['measured_at', 'results']);
      const [r] = file.results;
      assert.deepEqual(Object.keys(r), ['task', 'dataset', 'split', 'n', 'metric', 'value', 'higher_is_better', 'baselines']);
      assert.equal(r.metric, expected[name][0]);
      if (expected[name][1] !== null) assert.equal(r.n, expected[name][1]);
      assert.ok(r.n > 0 && r.value >= 0 && r.value <= 1 && r.higher_is_better === true);
      assert.ok(r.baselines.length >= 1 && r.baselines.every((b: { value: number }) => b.value >= 0 && b.value <= 1));
    }
    assert.match(printed, /kotoba-bert-mini-pos +\| part-of-speech tagging/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
