/** The Trainer on tiny models: learning, logging, evaluation, best model, early stopping, accumulation, resume. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LabelMap, MaskedLMCollator, OptionError, PaddingCollator, Trainer, classificationExamples, classificationMetrics, decayParameterNames,
  labelValues, latestCheckpoint, listCheckpoints, readAll, readMetrics, type Example, type MetricsRecord, type TrainingArguments,
  LayerNorm, Linear, Module,
} from '../../src/index.js';
import { TinyClassifier, TinyLM, tempDir, tinyTokenizer, toySentiment, writeData } from './helpers.js';

async function sentimentData(): Promise<{ train: Example[]; validation: Example[]; labels: LabelMap }> {
  const dir = tempDir();
  const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');
  const trainRecords = await readAll([writeData(dir, 'train.jsonl', jsonl(toySentiment(64, 1)))], {});
  const valRecords = await readAll([writeData(dir, 'val.jsonl', jsonl(toySentiment(32, 2)))], {});
  const labels = LabelMap.fromLabels(labelValues(trainRecords, 'label', false));
  const tok = tinyTokenizer();
  return {
    train: classificationExamples(trainRecords, tok, labels, { maxLength: 16 }),
    validation: classificationExamples(valRecords, tok, labels, { maxLength: 16 }),
    labels,
  };
}

const quiet: Partial<TrainingArguments> = { progress: 'none' };

test('fine-tuning a tiny classifier: loss falls, accuracy rises; metrics.jsonl, training.svg, checkpoints and the best model are written', async () => {
  const { train, validation } = await sentimentData();
  const out = tempDir();
  const model = new TinyClassifier(29, 2);
  const trainer = new Trainer({
    model, trainDataset: train, evalDataset: validation, collator: new PaddingCollator({ padTokenId: 0 }), metrics: classificationMetrics,
    args: { ...quiet, outputDir: out, numTrainEpochs: 6, batchSize: 8, learningRate: 0.05, loggingSteps: 4, evalSteps: 16, saveSteps: 16, metricForBestModel: 'accuracy' },
  });
  const result = await trainer.train();
  assert.equal(result.globalStep, 48);
  assert.equal(trainer.totalSteps, 48);
  const records = readMetrics(out);
  const losses = records.filter((r) => 'loss' in r).map((r) => r.loss);
  assert.equal(losses.length, 12);
  assert.ok(losses.at(-1)! < losses[0] * 0.7, `training loss ${losses[0]} -> ${losses.at(-1)}`);
  const evals = records.filter((r) => 'eval_accuracy' in r);
  assert.deepEqual(evals.map((r) => r.step), [16, 32, 48]);
  assert.ok(evals.at(-1)!.eval_accuracy >= 0.9, `eval accuracy ${evals.at(-1)!.eval_accuracy}`);
  for (const key of ['eval_loss', 'eval_macroF1', 'epoch']) assert.ok(key in evals[0], key);
  assert.ok(records.filter((r) => 'loss' in r).every((r) => r.learning_rate >= 0 && r.tokens_per_second > 0 && r.grad_norm > 0));
  const svg = readFileSync(join(out, 'training.svg'), 'utf8');
  assert.match(svg, /^<svg/);
  assert.match(svg, /eval_accuracy/);
  assert.deepEqual(listCheckpoints(out).map((c) => c.step), [16, 32, 48]);
  assert.deepEqual(readdirSync(join(out, 'checkpoint-48')).sort(), ['model.safetensors', 'optimizer.safetensors', 'trainer_state.json']);
  assert.ok(existsSync(join(out, 'best-model', 'model.safetensors')));
  assert.ok(existsSync(join(out, 'model.safetensors')));
  assert.equal(result.bestMetric, Math.max(...evals.map((r) => r.eval_accuracy)));
});

test('AdamW groups: biases and norm weights get no weight decay', () => {
  class Net extends Module {
    dense = new Linear(4, 4);
    LayerNorm = new LayerNorm(4);
    out = new Linear(4, 2);
  }
  assert.deepEqual([...decayParameterNames(new Net())].sort(), ['dense.weight', 'out.weight']);
});

test('gradient accumulation: 2 x 2 examples gives the same update as 1 x 4', async () => {
  const { train } = await sentimentData();
  const run = async (batchSize: number, gradientAccumulationSteps: number) => {
    const model = new TinyClassifier(29, 2, 1, 0);
    const logs: MetricsRecord[] = [];
    await new Trainer({
      model, trainDataset: train.slice(0, 16), collator: new PaddingCollator({ padTokenId: 0 }), onLog: (r) => logs.push(r),
      args: { ...quiet, outputDir: tempDir(), maxSteps: 4, batchSize, gradientAccumulationSteps, learningRate: 0.01, loggingSteps: 1, shuffle: false, saveSteps: 0 },
    }).train();
    return { losses: logs.map((r) => r.loss), weight: model.head.weight.toFlatArray() };
  };
  const a = await run(4, 1);
  const b = await run(2, 2);
  a.losses.forEach((l, i) => assert.ok(Math.abs(l - b.losses[i]) < 1e-5, `step ${i}: ${l} vs ${b.losses[i]}`));
  a.weight.forEach((w, i) => assert.ok(Math.abs(w - b.weight[i]) < 1e-5));
});

test('early stopping: evaluations without improvement stop the run', async () => {
  const { train, validation } = await sentimentData();
  const result = await new Trainer({
    model: new TinyClassifier(29, 2), trainDataset: train, evalDataset: validation, collator: new PaddingCollator({ padTokenId: 0 }),
    args: { ...quiet, outputDir: tempDir(), numTrainEpochs: 10, batchSize: 8, learningRate: 0, evalSteps: 2, earlyStoppingPatience: 2, saveSteps: 0 },
  }).train();
  assert.ok(result.earlyStopped);
  assert.equal(result.globalStep, 6, 'evals at 2 (best), 4 and 6 (no improvement) -> stop');
});

test('resume continues exactly: the same losses as an uninterrupted run (dropout, random masking, accumulation)', async () => {
  const tok = tinyTokenizer();
  const blocks: Example[] = Array.from({ length: 40 }, (_, i) => ({ inputIds: [2, ...Array.from({ length: 10 }, (_, j) => 5 + ((i * 3 + j * 7) % 24)), 3] }));
  const collator = new MaskedLMCollator({ padTokenId: 0, maskTokenId: 4, vocabSize: tok.length, specialIds: tok.allSpecialIds });
  const args = (outputDir: string): TrainingArguments => ({
    ...quiet, outputDir, maxSteps: 10, batchSize: 3, gradientAccumulationSteps: 2, learningRate: 0.01, weightDecay: 0.01,
    warmupSteps: 2, lrSchedulerType: 'cosine', loggingSteps: 1, saveSteps: 4, seed: 5,
  });
  const full: number[] = [];
  await new Trainer({ model: new TinyLM(29, false), trainDataset: blocks, collator, args: args(tempDir()), onLog: (r) => full.push(r.loss) }).train();

  const out = tempDir();
  const first: number[] = [];
  const t1: Trainer = new Trainer({
    model: new TinyLM(29, false), trainDataset: blocks, collator, args: args(out),
    onLog: (r) => { first.push(r.loss); if (r.step === 6) t1.stop(); },
  });
  const stopped = await t1.train();
  assert.ok(stopped.interrupted);
  assert.equal(latestCheckpoint(out), join(out, 'checkpoint-6'));
  const second: number[] = [];
  const resumed = await new Trainer({
    model: new TinyLM(29, false, 99), trainDataset: blocks, collator, args: args(out), onLog: (r) => second.push(r.loss),
  }).train({ resumeFromCheckpoint: true });
  assert.equal(resumed.globalStep, 10);
  assert.deepEqual([...first, ...second], full);
  assert.deepEqual(readMetrics(out).map((r) => r.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('a half-written checkpoint folder is never picked up, and is cleaned up by the next run', async () => {
  const { train } = await sentimentData();
  const out = tempDir();
  mkdirSync(join(out, '.checkpoint-99.123.abcd.partial'));
  writeFileSync(join(out, '.checkpoint-99.123.abcd.partial', 'model.safetensors'), 'garbage');
  mkdirSync(join(out, 'checkpoint-50'));
  assert.equal(latestCheckpoint(out), null, 'a folder without trainer_state.json is not a checkpoint');
  await new Trainer({
    model: new TinyClassifier(29, 2), trainDataset: train, collator: new PaddingCollator({ padTokenId: 0 }),
    args: { ...quiet, outputDir: out, maxSteps: 6, saveSteps: 2, saveTotalLimit: 2 },
  }).train();
  assert.ok(!readdirSync(out).some((n) => n.startsWith('.checkpoint-')));
  assert.deepEqual(listCheckpoints(out).map((c) => c.step), [4, 6], 'saveTotalLimit keeps the newest two');
});

test('bad setups fail before training: no data, no loss, unknown metric, resume without checkpoint or with other data', async () => {
  const { train, validation } = await sentimentData();
  const collator = new PaddingCollator({ padTokenId: 0 });
  const model = new TinyClassifier(29, 2);
  assert.throws(() => new Trainer({ model, trainDataset: [], collator, args: { outputDir: tempDir() } }), /training data set is empty/);
  assert.throws(() => new Trainer({ model, trainDataset: train, collator, args: { outputDir: tempDir(), batchSize: 0 } }), (e: Error) => e instanceof OptionError && /batchSize/.test(e.message));
  const unlabeled = train.map(({ labels: _l, ...rest }) => rest);
  await assert.rejects(new Trainer({ model, trainDataset: unlabeled, collator, args: { ...quiet, outputDir: tempDir() } }).train(), /returned no loss/);
  await assert.rejects(
    new Trainer({ model, trainDataset: train, evalDataset: validation, collator, args: { ...quiet, outputDir: tempDir(), maxSteps: 2, metricForBestModel: 'bleu' } }).train(),
    /evaluation has no "bleu"; it reports loss/,
  );
  await assert.rejects(new Trainer({ model, trainDataset: train, collator, args: { ...quiet, outputDir: tempDir() } }).train({ resumeFromCheckpoint: true }), /no checkpoint in/);
  const out = tempDir();
  await new Trainer({ model, trainDataset: train, collator, args: { ...quiet, outputDir: out, maxSteps: 2 } }).train();
  await assert.rejects(
    new Trainer({ model, trainDataset: train.slice(1), collator, args: { ...quiet, outputDir: out, maxSteps: 4 } }).train({ resumeFromCheckpoint: true }),
    /made with 64 training examples and seed 42; this run has 63/,
  );
});
