/**
 * Builds kotoba-t5-mini's fine-tuning set: five tasks of ../shared/data turned into text-to-text
 * pairs with T5-style task prefixes (Raffel et al. 2020, section 2.4), shuffled together.
 *
 *   node dist/scripts/make-t5-task-mix.js <data folder> <out folder>
 *
 * Writes <out>/train.jsonl and <out>/validation.jsonl with {"source", "target", "task"}.
 * The test splits are left alone: `npm run eval` scores the model on them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface T5Task {
  /** The prefix the model is told the task by; the pipelines add the same one. */
  prefix: string;
  /** Folder under the data folder. */
  set: string;
  input: string;
  output: string;
  /** At most this many training pairs (the larger sets would crowd out the small ones). */
  maxTrain: number;
}

export const T5_TASKS: readonly T5Task[] = [
  { prefix: 'translate English to German: ', set: 'translation_en_de', input: 'source', output: 'target', maxTrain: 9000 },
  { prefix: 'translate English to Japanese: ', set: 'translation_en_ja', input: 'source', output: 'target', maxTrain: 6200 },
  { prefix: 'modernize: ', set: 'bible_kjv_to_web', input: 'source', output: 'target', maxTrain: 6000 },
  { prefix: 'sentiment: ', set: 'sentiment_uci', input: 'text', output: 'label', maxTrain: 2400 },
  { prefix: 'topic: ', set: 'fortunes_topic', input: 'text', output: 'label', maxTrain: 5400 },
];

/** Validation pairs per task (enough to watch the loss; the full splits are for evaluation). */
const VALIDATION_PER_TASK = 100;

export function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A seeded shuffle (mulberry32), so the mix is the same on every machine. */
function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function pairs(data: string, task: T5Task, split: string, limit: number): { source: string; target: string; task: string }[] {
  const rows = shuffle(readJsonl(join(data, task.set, `${split}.jsonl`)), 1234).slice(0, limit);
  return rows.map((r) => ({ source: task.prefix + String(r[task.input]), target: String(r[task.output]), task: task.set }));
}

function main(): void {
  const [data, out] = process.argv.slice(2);
  if (!data || !out) {
    console.error('usage: node dist/scripts/make-t5-task-mix.js <data folder> <out folder>');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const train = shuffle(T5_TASKS.flatMap((t) => pairs(data, t, 'train', t.maxTrain)), 42);
  const validation = T5_TASKS.flatMap((t) => pairs(data, t, 'validation', VALIDATION_PER_TASK));
  const lines = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(join(out, 'train.jsonl'), lines(train));
  writeFileSync(join(out, 'validation.jsonl'), lines(validation));
  console.log(`task mix: ${train.length} training and ${validation.length} validation pairs in ${out}`);
}

if (process.argv[1]?.endsWith('make-t5-task-mix.js')) main();
