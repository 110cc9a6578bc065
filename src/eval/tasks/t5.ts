/**
 * kotoba-t5-mini on its five fine-tuning tasks, scored on the first N examples of each test
 * split (N = --limit, default 200), by batched greedy decoding:
 * - translation-like tasks: corpus chrF2 and BLEU, against copying the source and a TF-IDF
 *   nearest-neighbour translation memory over the train split;
 * - label tasks ("sentiment:", "topic:"): accuracy, exact match of the decoded text with the label,
 *   against TF-IDF + logistic regression and the majority class (trained on the train split).
 */
import { generate } from '../../generation/index.js';
import { T5ForConditionalGeneration } from '../../models/index.js';
import { tensor } from '../../tensor/index.js';
import { AutoTokenizer, type PreTrainedTokenizer } from '../../tokenizers/index.js';
import { accuracy } from '../accuracy.js';
import { corpusBleu } from '../bleu.js';
import { corpusChrf } from '../chrf.js';
import { classificationBaselines } from '../classification-baselines.js';
import { DEFAULT_GENERATION_LIMIT, since, type EvalContext } from '../context.js';
import { firstN, readSplit } from '../data.js';
import { NearestNeighbourTranslator } from '../nearest-neighbour.js';
import type { ReportedResult } from '../results.js';
import { T5_EVAL_TASKS, type T5EvalTask } from '../t5-tasks.js';

const BATCH = 32;

/**
 * Greedy outputs for the sources, decoded without special tokens. Sources are batched by length
 * (less padding); the output order is the input order. maxNewTokens bounds every output.
 */
export function generateBatched(model: T5ForConditionalGeneration, tokenizer: PreTrainedTokenizer, sources: readonly string[], maxNewTokens: number): string[] {
  const order = sources.map((s, i) => ({ i, ids: tokenizer.encode(s) })).sort((a, b) => a.ids.length - b.ids.length);
  const out = new Array<string>(sources.length);
  const pad = tokenizer.padTokenId ?? 0;
  for (let b = 0; b < order.length; b += BATCH) {
    const batch = order.slice(b, b + BATCH);
    const length = Math.max(...batch.map((e) => e.ids.length));
    const ids = batch.map((e) => [...e.ids, ...new Array<number>(length - e.ids.length).fill(pad)]);
    const mask = batch.map((e) => ids[0].map((_, p) => (p < e.ids.length ? 1 : 0)));
    const sequences = generate(model, { inputIds: tensor(ids, { dtype: 'int32' }), attentionMask: tensor(mask, { dtype: 'int32' }) }, { maxNewTokens }).toArray() as number[][];
    batch.forEach((e, r) => (out[e.i] = tokenizer.decode(sequences[r], { skipSpecialTokens: true }).trim()));
  }
  return out;
}

/** maxNewTokens for a task: the longest target of the subset in tokens (+ eos), plus a quarter. */
export function maxNewTokensFor(tokenizer: PreTrainedTokenizer, targets: readonly string[]): number {
  const longest = Math.max(1, ...targets.map((t) => tokenizer.encode(t).length));
  return Math.ceil(longest * 1.25) + 2;
}

async function evaluateTask(ctx: EvalContext, model: T5ForConditionalGeneration, tokenizer: PreTrainedTokenizer, task: T5EvalTask): Promise<ReportedResult[]> {
  const t0 = performance.now();
  const limit = ctx.limit ?? DEFAULT_GENERATION_LIMIT;
  const rows = firstN(readSplit(ctx.data, task.set, 'test'), limit);
  const inputs = rows.map((r) => String(r[task.input]));
  const targets = rows.map((r) => String(r[task.output]));
  const maxNewTokens = maxNewTokensFor(tokenizer, targets);
  const outputs = generateBatched(model, tokenizer, inputs.map((s) => task.prefix + s), maxNewTokens);
  ctx.log(`  ${task.name}: ${rows.length} examples generated (maxNewTokens ${maxNewTokens}) in ${since(t0)} s; first output: ${JSON.stringify(outputs[0]?.slice(0, 80))}`);
  const base = { dataset: task.set, split: 'test', n: rows.length, higher_is_better: true };
  const limitNote = `first ${rows.length} examples of the test split in file order, greedy decoding`;
  if (task.kind === 'label') {
    return [{
      ...base,
      task: `${task.name} ("${task.prefix.trim()}")`,
      metric: 'accuracy',
      value: accuracy(outputs, targets),
      baselines: classificationBaselines(ctx.data, task.set, inputs.map((text, i) => ({ text, label: targets[i] })), task.input, task.output),
      note: `${task.set} (T5 "${task.prefix.trim()}"): ${limitNote}; exact match of the decoded text with the label.`,
    }];
  }
  const nn = new NearestNeighbourTranslator().fit(readSplit(ctx.data, task.set, 'train').map((r) => ({ source: String(r[task.input]), target: String(r[task.output]) })));
  const memory = inputs.map((s) => nn.translate(s));
  const tokenizerNote = task.bleuTokenizer === 'char' ? 'BLEU on characters (each non-space character a token)' : 'BLEU with 13a tokenization';
  const baselinesFor = (score: (h: string[]) => number) => [
    { name: 'copy the source', value: score(inputs) },
    { name: 'nearest train source by TF-IDF cosine, its target', value: score(memory) },
  ];
  const chrf = (h: string[]) => corpusChrf(h, targets);
  const bleu = (h: string[]) => corpusBleu(h, targets, task.bleuTokenizer).score;
  return [
    { ...base, task: task.name, metric: 'chrF2', value: chrf(outputs), baselines: baselinesFor(chrf), note: `${task.set}: ${limitNote}.` },
    { ...base, task: task.name, metric: 'BLEU', value: bleu(outputs), baselines: baselinesFor(bleu), note: `${task.set}: ${limitNote}; ${tokenizerNote}.` },
  ];
}

export async function evaluateT5(ctx: EvalContext, folder: string): Promise<ReportedResult[]> {
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const model = await T5ForConditionalGeneration.fromPretrained(folder);
  const out: ReportedResult[] = [];
  for (const task of T5_EVAL_TASKS) out.push(...(await evaluateTask(ctx, model, tokenizer, task)));
  return out;
}
