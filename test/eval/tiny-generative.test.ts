/**
 * The GPT and T5 evaluation paths on tiny random models made here: the GPT evaluation end to end
 * (with the byte 5-gram on a small corpus sample), and T5's batched greedy decoding giving each
 * source the output it gets alone (padding and length-sorting change nothing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSplit } from '../../src/eval/data.js';
import { runEvaluation } from '../../src/eval/run.js';
import { generateBatched } from '../../src/eval/tasks/t5.js';
import { GPT2Config, GPT2LMHeadModel, T5Config, T5ForConditionalGeneration } from '../../src/models/index.js';
import { trainTokenizer } from '../../src/tokenizers/index.js';

const DATA = fileURLToPath(new URL('../../../../shared/data', import.meta.url));

function textFile(dir: string): string {
  const path = join(dir, 'texts.txt');
  writeFileSync(path, readSplit(DATA, 'sentiment_uci', 'train').slice(0, 300).map((r) => String(r.text)).join('\n'));
  return path;
}

test('the GPT evaluation end to end on a tiny random model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-eval-gpt-'));
  try {
    const tokenizer = await trainTokenizer({ type: 'bpe', files: [textFile(dir)], vocabSize: 300 });
    const model = new GPT2LMHeadModel(new GPT2Config({ vocab_size: tokenizer.vocabSize, n_embd: 16, n_layer: 1, n_head: 2, n_positions: 64, bos_token_id: 0, eos_token_id: 0 }));
    const folder = join(dir, 'kotoba-gpt-mini');
    model.savePretrained(folder);
    tokenizer.savePretrained(folder);
    let printed = '';
    await runEvaluation({ data: DATA, models: dir, limit: 8, only: ['kotoba-gpt-mini'], ngramEveryNth: 500, write: true, log: () => {}, print: (t) => (printed += t) });
    const file = JSON.parse(readFileSync(join(folder, 'eval_results.json'), 'utf8'));
    assert.equal(file.results.length, 3);
    for (const r of file.results) {
      assert.equal(r.metric, 'bits per byte');
      assert.equal(r.higher_is_better, false);
      // a random model is near uniform over its 300 tokens: well above 0, below ~log2(300) bits per token
      assert.ok(r.value > 0.5 && r.value < 10, String(r.value));
      assert.ok(r.baselines.some((b: { name: string }) => b.name.includes('every 500th line')));
    }
    assert.deepEqual(file.results.slice(0, 2).map((r: { n: number }) => r.n), [8, 8]);
    assert.match(printed, /language modelling/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("T5 batched greedy decoding gives each source the output it gets alone", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-eval-t5-'));
  try {
    const tokenizer = await trainTokenizer({ type: 'unigram', files: [textFile(dir)], vocabSize: 200 });
    const model = new T5ForConditionalGeneration(new T5Config({
      vocab_size: tokenizer.vocabSize, d_model: 16, d_kv: 8, d_ff: 32, num_layers: 1, num_decoder_layers: 1, num_heads: 2,
      feed_forward_proj: 'gated-gelu', decoder_start_token_id: tokenizer.padTokenId ?? 0, eos_token_id: tokenizer.eosTokenId ?? 1, pad_token_id: tokenizer.padTokenId ?? 0,
    }));
    model.eval(); // a fresh model is in training mode (dropout); fromPretrained gives eval mode
    const sources = ['sentiment: good food', 'topic: a much longer sentence about computers and their many users', 'modernize: thou art', 'x'];
    const together = generateBatched(model, tokenizer, sources, 6);
    const alone = sources.map((s) => generateBatched(model, tokenizer, [s], 6)[0]);
    assert.deepEqual(together, alone);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
