/**
 * `npm run eval` / `kotoba eval`: evaluates each shipped model present in the models folder on
 * its task(s), next to baselines, prints the table, and writes models/<name>/eval_results.json.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionError } from '../errors.js';
import { CORPUS_EVERY_NTH } from './byte-lm-baseline.js';
import { since, modelFolder, type EvalContext } from './context.js';
import type { ModelEvaluation, ReportedResult } from './results.js';
import { writeResultsFile } from './results.js';
import { formatTable } from './table.js';
import { evaluateBertMlm } from './tasks/bert-mlm.js';
import { evaluateGpt } from './tasks/gpt.js';
import { evaluatePos } from './tasks/pos.js';
import { evaluateSentiment } from './tasks/sentiment.js';
import { evaluateT5 } from './tasks/t5.js';

/** Each shipped model and its evaluation. */
export const MODEL_EVALUATIONS: Readonly<Record<string, (ctx: EvalContext, folder: string) => Promise<ReportedResult[]>>> = {
  'kotoba-bert-mini': evaluateBertMlm,
  'kotoba-bert-mini-sentiment': evaluateSentiment,
  'kotoba-bert-mini-pos': evaluatePos,
  'kotoba-gpt-mini': evaluateGpt,
  'kotoba-t5-mini': evaluateT5,
};

export interface EvalOptions {
  data: string;
  models: string;
  limit?: number;
  /** Model names (default: all of MODEL_EVALUATIONS). */
  only?: string[];
  /** The byte 5-gram baseline's corpus sample: every nth line (default 1, the whole corpus). */
  ngramEveryNth?: number;
  /** false: print only, write no eval_results.json. */
  write: boolean;
  log?: (line: string) => void;
  /** Where the table goes (default stdout). */
  print?: (text: string) => void;
}

export async function runEvaluation(options: EvalOptions): Promise<ModelEvaluation[]> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const print = options.print ?? ((t: string) => process.stdout.write(t + '\n'));
  const names = options.only?.length ? options.only : Object.keys(MODEL_EVALUATIONS);
  for (const n of names) if (!(n in MODEL_EVALUATIONS)) throw new OptionError(`eval: unknown model "${n}" (known: ${Object.keys(MODEL_EVALUATIONS).join(', ')})`);
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit > 0)) throw new OptionError(`eval: --limit must be a positive integer, got ${options.limit}`);
  const data = resolve(options.data);
  if (!existsSync(data)) throw new OptionError(`eval: no data folder ${data}`);
  const ngramEveryNth = options.ngramEveryNth ?? CORPUS_EVERY_NTH;
  if (!(Number.isInteger(ngramEveryNth) && ngramEveryNth > 0)) throw new OptionError(`eval: --ngram-every must be a positive integer, got ${ngramEveryNth}`);
  const ctx: EvalContext = { data, models: resolve(options.models), limit: options.limit, ngramEveryNth, log };
  const start = performance.now();
  const evaluations: ModelEvaluation[] = [];
  for (const name of names) {
    const folder = modelFolder(ctx, name);
    if (!folder) {
      log(`${name}: no model in ${ctx.models}/${name}, skipped`);
      evaluations.push({ model: name, present: false, why: `no model folder ${ctx.models}/${name}`, results: [], seconds: 0 });
      continue;
    }
    const t0 = performance.now();
    log(`${name}: evaluating ...`);
    const results = await MODEL_EVALUATIONS[name](ctx, folder);
    const seconds = (performance.now() - t0) / 1000;
    log(`${name}: done in ${seconds.toFixed(1)} s`);
    evaluations.push({ model: name, present: true, results, seconds });
    if (options.write) log(`  wrote ${writeResultsFile(folder, results)}`);
  }
  print(formatTable(evaluations));
  print(`\ntimings: ${evaluations.filter((e) => e.present).map((e) => `${e.model} ${e.seconds.toFixed(1)} s`).join(', ') || 'nothing evaluated'}; total ${since(start)} s`);
  return evaluations;
}
