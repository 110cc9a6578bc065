/**
 * T5 text-to-text fine-tuning, the path kotoba-t5-mini is trained on: batches padded to their own
 * longest source and target (labels with -100, decoder inputs shifted right from the pad id), the
 * length-grouped task mix of scripts/make-t5-task-mix.ts, and a tiny T5 v1.1 that learns a few
 * pairs by heart and gives them back with greedy decoding (the blank outputs of the first
 * kotoba-t5-mini were undertraining: the same code reproduces its targets once it is trained).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupByLength } from '../../scripts/make-t5-task-mix.js';
import { PaddingCollator, Trainer, readAll, text2textExamples } from '../../src/index.js';
import { T5Config, T5ForConditionalGeneration, shiftRight } from '../../src/models/index.js';
import { trainTokenizer } from '../../src/tokenizers/index.js';
import { tempDir, tinyTokenizer, writeData } from './helpers.js';

test('text2text batches are padded to their longest source and target, not to --max-length; labels with -100', async () => {
  const dir = tempDir();
  try {
    const path = writeData(dir, 'tt.jsonl', [
      { source: 'the cat sat on the mat', target: 'the dog ran' },
      { source: 'a movie', target: 'good' },
    ].map((r) => JSON.stringify(r)).join('\n'));
    const examples = text2textExamples(await readAll([path], {}), tinyTokenizer(), { maxLength: 48, maxTargetLength: 32 });
    const batch = new PaddingCollator({ padTokenId: 0 }).collate(examples);
    assert.deepEqual(batch.inputIds.shape, [2, 8], 'the longest source: [CLS] + 6 words + [SEP]');
    assert.deepEqual(batch.attentionMask.toArray(), [[1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0, 0]]);
    assert.deepEqual(batch.labels.toArray(), [[2, 5, 10, 11, 3], [2, 12, 3, -100, -100]]);
    // the decoder reads [start, labels[:-1]] with -100 turned back into the pad id
    assert.deepEqual(shiftRight(batch.labels, 0, 0).toArray(), [[0, 2, 5, 10, 11], [0, 2, 12, 3, 0]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('task mix in length-grouped batches: the same pairs, whole batches of similar length, a fixed order', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ source: 'x'.repeat(1 + ((i * 37) % 200)), target: 'y'.repeat(1 + ((i * 11) % 50)), task: String(i) }));
  const grouped = groupByLength(rows, 16, 43);
  assert.deepEqual(grouped.map((r) => r.task).sort(), rows.map((r) => r.task).sort(), 'every pair once');
  assert.deepEqual(groupByLength(rows, 16, 43), grouped, 'seeded');
  const size = (r: (typeof rows)[number]): number => r.source.length + 2 * r.target.length;
  let spreadGrouped = 0;
  let spreadMixed = 0;
  for (let i = 0; i + 16 <= grouped.length; i += 16) {
    const g = grouped.slice(i, i + 16).map(size);
    const m = rows.slice(i, i + 16).map(size);
    spreadGrouped += Math.max(...g) - Math.min(...g);
    spreadMixed += Math.max(...m) - Math.min(...m);
  }
  assert.ok(spreadGrouped * 5 < spreadMixed, `grouped batches are far more uniform: ${spreadGrouped} vs ${spreadMixed}`);
  // 1000 = 62 batches of 16 + 8: the short batch (the shortest of the last mega-batch) comes last
  assert.deepEqual(grouped.slice(-8).map(size), rows.slice(800).map(size).sort((a, b) => b - a).slice(-8));
});

test('a tiny T5 v1.1 fine-tuned text-to-text gives its targets back with greedy decoding (not blanks)', async () => {
  const dir = tempDir();
  try {
    const pairs = [
      ['translate English to German: the house is small', 'das Haus ist klein'],
      ['translate English to German: the cat sleeps', 'die Katze schläft'],
      ['sentiment: I loved this movie', 'positive'],
      ['sentiment: the worst film ever', 'negative'],
      ['topic: the team won the match', 'sports'],
      ['modernize: thou art wise', 'you are wise'],
    ];
    const text = join(dir, 'text.txt');
    writeFileSync(text, pairs.flat().join('\n').repeat(4));
    const tokenizer = await trainTokenizer({ type: 'unigram', files: [text], vocabSize: 80 });
    const data = writeData(dir, 'pairs.jsonl', pairs.map(([source, target]) => JSON.stringify({ source, target })).join('\n'));
    const examples = text2textExamples(await readAll([data], {}), tokenizer, { maxLength: 32 });
    const model = new T5ForConditionalGeneration(new T5Config({
      vocab_size: tokenizer.vocabSize, d_model: 32, d_kv: 8, d_ff: 64, num_layers: 1, num_decoder_layers: 1, num_heads: 4,
      feed_forward_proj: 'gated-gelu', tie_word_embeddings: false, dropout_rate: 0, initializer_factor: 0.1,
      decoder_start_token_id: 0, pad_token_id: tokenizer.padTokenId ?? 0, eos_token_id: tokenizer.eosTokenId ?? 1,
    }));
    await new Trainer({
      model, trainDataset: examples, collator: new PaddingCollator({ padTokenId: tokenizer.padTokenId ?? 0 }),
      args: { outputDir: join(dir, 'run'), maxSteps: 150, batchSize: 6, learningRate: 1e-2, warmupSteps: 5, saveSteps: 0, loggingSteps: 50, progress: 'none' },
    }).train();
    model.eval();
    for (const [source, target] of pairs) {
      const ids = model.generate(tokenizer.encodeBatch([source]).inputIds, { maxNewTokens: 12 }).toArray() as number[][];
      assert.equal(tokenizer.decode(ids[0], { skipSpecialTokens: true }).trim(), target, source);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
