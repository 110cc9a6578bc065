/**
 * Builds kotoba-t5-mini's fine-tuning set: five tasks of ../shared/data turned into text-to-text
 * pairs with T5-style task prefixes (Raffel et al. 2020, section 2.4), shuffled together.
 *
 *   node dist/scripts/make-t5-task-mix.js <data folder> <out folder> [batch size]
 *
 * Writes <out>/train.jsonl and <out>/validation.jsonl with {"source", "target", "task"}.
 * The test splits are left alone: `npm run eval` scores the model on them.
 *
 * With a batch size, train.jsonl is written in length-grouped batches (transformers'
 * group_by_length: the shuffled pairs are cut into mega-batches of 50 batches, each sorted by
 * length and cut into batches, and the batches are shuffled), to be read in file order
 * (`kotoba finetune --no-shuffle --batch-size <the same>`). Batches are then padded to about their
 * members' own length: on this mix (sources of up to 490 tokens, targets of up to 200), in batches
 * of 16 cut at 64 tokens, the padded target positions of an epoch fall from 1.71M to 0.89M (0.60M
 * real) and the source positions from 1.81M to 1.44M (0.93M real). Lengths are counted in
 * characters here, a target's twice: the decoder and its output layer cost more per token.
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

type Pair = { source: string; target: string; task: string };

/** The pairs in batches of similar length (see the header), batch order shuffled with `seed`. */
export function groupByLength(rows: readonly Pair[], batchSize: number, seed: number): Pair[] {
  const size = (r: Pair): number => r.source.length + 2 * r.target.length;
  const mega = batchSize * 50;
  const batches: Pair[][] = [];
  for (let i = 0; i < rows.length; i += mega) {
    const sorted = rows.slice(i, i + mega).sort((a, b) => size(b) - size(a));
    for (let j = 0; j < sorted.length; j += batchSize) batches.push(sorted.slice(j, j + batchSize));
  }
  // a short last batch stays last, so every other batch is whole when read in file order
  const last = batches.length && batches[batches.length - 1].length < batchSize ? batches.pop()! : null;
  return [...shuffle(batches, seed), ...(last ? [last] : [])].flat();
}

function pairs(data: string, task: T5Task, split: string, limit: number): Pair[] {
  const rows = shuffle(readJsonl(join(data, task.set, `${split}.jsonl`)), 1234).slice(0, limit);
  return rows.map((r) => ({ source: task.prefix + String(r[task.input]), target: String(r[task.output]), task: task.set }));
}

function main(): void {
  const [data, out, batch] = process.argv.slice(2);
  const batchSize = batch === undefined ? 0 : Number(batch);
  if (!data || !out || !Number.isInteger(batchSize) || batchSize < 0) {
    console.error('usage: node dist/scripts/make-t5-task-mix.js <data folder> <out folder> [batch size]');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const mixed = shuffle(T5_TASKS.flatMap((t) => pairs(data, t, 'train', t.maxTrain)), 42);
  const train = batchSize > 0 ? groupByLength(mixed, batchSize, 43) : mixed;
  // shuffled too: evaluated in file order, batches of one task each would weigh the short label
  // targets like the long translations, and eval_loss would not compare with the training loss
  const validation = shuffle(T5_TASKS.flatMap((t) => pairs(data, t, 'validation', VALIDATION_PER_TASK)), 7);
  const lines = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(join(out, 'train.jsonl'), lines(train));
  writeFileSync(join(out, 'validation.jsonl'), lines(validation));
  console.log(`task mix: ${train.length} training${batchSize > 0 ? ` (in length-grouped batches of ${batchSize})` : ''} and ${validation.length} validation pairs in ${out}`);
}

if (process.argv[1]?.endsWith('make-t5-task-mix.js')) main();
