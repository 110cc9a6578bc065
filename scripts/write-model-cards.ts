/**
 * Last stage of scripts/train-default-models.sh: records what each training run did in
 * models/<name>/training_run.json and renders the model cards (README.md).
 *
 *   node dist/scripts/write-model-cards.js <training folder> <models folder>
 *   node dist/scripts/write-model-cards.js --render-only <models folder>   (after `npm run eval`)
 *   ... --only kotoba-bert-mini-pos                                         (one model; repeatable)
 */
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeModelCard, type TrainingRun } from './model-cards.js';

interface ModelRun {
  /** Stages whose wall time adds up to this model (a fine-tuned model includes its base). */
  stages: string[];
  /** The stage whose run folder holds the final training (metrics.jsonl). */
  runStage: string;
  objective: string;
  tokenizer: string;
  data: string[];
  baseModel?: string;
  pretraining: boolean;
  validationData: string;
}

const TOKENIZERS = {
  wordpiece: 'WordPiece, 8,000 tokens, lowercased (BERT-style normalisation); trained by `kotoba train-tokenizer` on corpus/en',
  bpe: 'byte-level BPE, 8,000 tokens (GPT-2-style); trained by `kotoba train-tokenizer` on corpus/en',
  unigram: 'Unigram (SentencePiece-style, metaspace), 12,000 pieces + 100 sentinels `<extra_id_n>`; trained by `kotoba train-tokenizer` on corpus/ja, Austen, and the source and target sides of the translation and modernisation training splits',
};

const RUNS: Record<string, ModelRun> = {
  'kotoba-bert-mini': {
    stages: ['tokenizers', 'bert-mini'], runStage: 'bert-mini', pretraining: true,
    objective: 'masked language modelling (15% of tokens; 80% [MASK], 10% random, 10% kept), documents packed into 128-token blocks',
    tokenizer: TOKENIZERS.wordpiece, data: ['corpus/en'], validationData: '0.5% of the packed blocks, held out',
  },
  'kotoba-bert-mini-sentiment': {
    stages: ['tokenizers', 'bert-mini', 'bert-mini-sentiment'], runStage: 'bert-mini-sentiment', pretraining: false,
    objective: 'task-adaptive pretraining (masked LM on the sentiment_uci training texts, 8 epochs; Gururangan et al. 2020), then sequence classification (cross-entropy over positive/negative on the [CLS] pooler output), best validation accuracy kept. A first run that fine-tuned kotoba-bert-mini directly reached 78.6% validation accuracy; this recipe reached 79.6% and was kept (chosen on validation, not test)',
    tokenizer: TOKENIZERS.wordpiece, data: ['corpus/en', 'sentiment_uci'], baseModel: 'kotoba-bert-mini', validationData: 'sentiment_uci validation split',
  },
  'kotoba-bert-mini-pos': {
    stages: ['tokenizers', 'bert-mini', 'bert-mini-pos'], runStage: 'bert-mini-pos', pretraining: false,
    objective: 'token classification (cross-entropy on the first sub-token of each word, Brown tags); best validation token accuracy kept',
    tokenizer: TOKENIZERS.wordpiece, data: ['corpus/en', 'brown_pos'], baseModel: 'kotoba-bert-mini', validationData: 'brown_pos validation split',
  },
  'kotoba-gpt-mini': {
    stages: ['tokenizers', 'gpt-mini'], runStage: 'gpt-mini', pretraining: true,
    objective: 'causal language modelling (next-token cross-entropy), documents packed into 128-token blocks',
    tokenizer: TOKENIZERS.bpe, data: ['corpus/en'], validationData: '0.5% of the packed blocks, held out',
  },
  'kotoba-t5-mini': {
    stages: ['tokenizers', 't5-pretrain', 't5-mini'], runStage: 't5-mini', pretraining: false,
    objective: 'span corruption (15% noise, mean span 3, T5 sentinels) on corpus/en + corpus/ja, then text-to-text cross-entropy on the prefixed task mix (scripts/make-t5-task-mix.ts). Initialised with initializer_factor 0.1: with transformers\' default (1.0) the untied output layer starts at std 1.0, the first logits are huge, and a first run\'s span-corruption loss was still 16 after its 80 steps; the smaller init starts near ln(vocabulary size)',
    tokenizer: TOKENIZERS.unigram, data: ['corpus/en', 'corpus/ja', 'translation_en_de', 'translation_en_ja', 'bible_kjv_to_web', 'sentiment_uci', 'fortunes_topic'],
    validationData: '100 pairs per task from the validation splits',
  },
};

function readLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
}

function flag(commands: string[], name: string): number | undefined {
  for (const c of commands) {
    const m = new RegExp(`${name} (\\S+)`).exec(c);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** The evaluation of the weights that were shipped: the best one with --load-best-model-at-end, else the last. */
function shippedEvaluation(evalLines: Record<string, number>[], commands: string[]): Record<string, number> {
  const metric = /--metric (\S+)/.exec(commands.join(' '))?.[1];
  if (!commands.some((c) => c.includes('--load-best-model-at-end')) || !metric) return evalLines.at(-1) ?? {};
  const key = `eval_${metric}`;
  const greater = !/loss|perplexity/.test(metric);
  return evalLines.filter((m) => key in m).reduce((best, m) => ((greater ? m[key] > best[key] : m[key] < best[key]) ? m : best), evalLines.find((m) => key in m) ?? {});
}

function seconds(work: string, stages: string[]): number {
  return stages.flatMap((s) => readLines(join(work, `${s}.seconds`))).reduce((a, b) => a + Number(b), 0);
}

function trainingRun(work: string, run: ModelRun): TrainingRun {
  const commands = run.stages.flatMap((s) => readLines(join(work, `${s}.commands`)).filter((c) => !c.startsWith('kotoba export')));
  const stageCommands = readLines(join(work, `${run.runStage}.commands`));
  const metrics = readLines(join(work, run.runStage, 'metrics.jsonl')).map((l) => JSON.parse(l) as Record<string, number>);
  const trainLines = metrics.filter((m) => 'loss' in m);
  const evalLines = metrics.filter((m) => Object.keys(m).some((k) => k.startsWith('eval_')));
  const validation = Object.fromEntries(Object.entries(shippedEvaluation(evalLines, stageCommands)).filter(([k]) => k.startsWith('eval_')));
  const steps = Math.max(0, ...metrics.map((m) => m.step ?? 0));
  const batch = flag(stageCommands, '--batch-size') ?? 8;
  const length = flag(stageCommands, run.pretraining ? '--block-size' : '--max-length') ?? 128;
  return {
    stages: run.stages,
    objective: run.objective,
    base_model: run.baseModel,
    tokenizer: run.tokenizer,
    data: run.data,
    steps,
    batch_size: batch,
    sequence_length: length,
    ...(run.pretraining ? { tokens_seen: steps * batch * length } : { examples_seen: steps * batch }),
    learning_rate: flag(stageCommands, '--lr') ?? 0,
    wall_seconds: seconds(work, run.stages.filter((s) => s !== 'tokenizers')),
    final_train_loss: trainLines.at(-1)?.loss,
    validation,
    validation_data: run.validationData,
    commands,
  };
}

function main(): void {
  const args = process.argv.slice(2);
  // --only NAME (repeatable): just these models, e.g. after retraining one stage
  const only: string[] = [];
  for (let i = args.indexOf('--only'); i >= 0; i = args.indexOf('--only')) only.push(...args.splice(i, 2).slice(1));
  const renderOnly = args[0] === '--render-only';
  const [work, models] = renderOnly ? [null, args[1]] : args;
  if (!models) {
    console.error('usage: node dist/scripts/write-model-cards.js <training folder> <models folder> | --render-only <models folder>');
    process.exit(2);
  }
  for (const [name, run] of Object.entries(RUNS)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const folder = join(models, name);
    if (!existsSync(join(folder, 'config.json'))) continue;
    if (work) {
      if (!existsSync(join(work, run.runStage, 'metrics.jsonl'))) continue;
      const path = join(folder, 'training_run.json');
      writeFileSync(`${path}.partial`, JSON.stringify(trainingRun(work, run), null, 2) + '\n');
      renameSync(`${path}.partial`, path);
    }
    if (!existsSync(join(folder, 'training_run.json'))) continue;
    writeModelCard(folder);
    console.log(`wrote ${join(folder, 'README.md')}`);
  }
}

if (process.argv[1]?.endsWith('write-model-cards.js')) main();
