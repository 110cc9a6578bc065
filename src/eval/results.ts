/**
 * The shape of an evaluation result, and models/<name>/eval_results.json (read by the model
 * cards): { "measured_at": ISO date, "results": [ { task, dataset, split, n, metric, value,
 * higher_is_better, baselines: [ { name, value } ] } ] }. Written atomically (a temporary file in
 * the same folder, then rename), so a reader never sees half a file.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Baseline {
  name: string;
  value: number;
}

export interface EvalResult {
  task: string;
  dataset: string;
  split: string;
  n: number;
  metric: string;
  value: number;
  higher_is_better: boolean;
  baselines: Baseline[];
}

/** A result as the evaluation reports it: the file's fields plus a note for the printed table. */
export interface ReportedResult extends EvalResult {
  note?: string;
}

export interface ModelEvaluation {
  model: string;
  /** false when the model folder is absent (then results is empty and why says so). */
  present: boolean;
  why?: string;
  results: ReportedResult[];
  seconds: number;
}

export const RESULTS_FILE = 'eval_results.json';

/** The file's content: only the documented fields, in the documented order. */
export function resultsFileContent(results: readonly ReportedResult[], measuredAt: Date): string {
  const clean = results.map((r): EvalResult => ({
    task: r.task,
    dataset: r.dataset,
    split: r.split,
    n: r.n,
    metric: r.metric,
    value: r.value,
    higher_is_better: r.higher_is_better,
    baselines: r.baselines.map((b) => ({ name: b.name, value: b.value })),
  }));
  return JSON.stringify({ measured_at: measuredAt.toISOString(), results: clean }, null, 2) + '\n';
}

/** Writes <folder>/eval_results.json atomically; returns its path. */
export function writeResultsFile(folder: string, results: readonly ReportedResult[], measuredAt = new Date()): string {
  const path = join(folder, RESULTS_FILE);
  const tmp = join(folder, `.${RESULTS_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, resultsFileContent(results, measuredAt));
  renameSync(tmp, path);
  return path;
}
