/**
 * `kotoba eval`: the quality table of the shipped models next to honest baselines
 * (src/eval/, docs/evaluation.md). scripts/eval.ts (`npm run eval`) runs the same thing.
 */
import { Command, InvalidArgumentError } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEvaluation } from '../eval/run.js';
import { shippedModelsDir } from '../models/shipped.js';

/** The package root (dist/src/cli/eval.js -> three folders up). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface EvalCommandOptions {
  data: string;
  models: string;
  limit?: number;
  only?: string[];
  ngramEvery: number;
  write: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Adds eval's options and action to a command (the `eval` subcommand, or the script's program). */
export function configureEvalCommand(command: Command): Command {
  return command
    .description('evaluate the shipped models on the test splits next to baselines; print a table and write models/<name>/eval_results.json')
    .option('--data <folder>', 'the data folder', join(ROOT, '..', 'shared', 'data'))
    .option('--models <folder>', 'the models folder', shippedModelsDir())
    .option('--limit <n>', 'examples of each test split (default: whole splits; 200 for the T5 generation tasks)', positiveInteger)
    .option('--only <names...>', 'evaluate only these models')
    .option('--ngram-every <n>', 'train the byte 5-gram baseline on every nth line of the English corpus', positiveInteger, 1)
    .option('--no-write', 'print only: write no eval_results.json')
    .action(async (opts: EvalCommandOptions) => {
      await runEvaluation({ data: opts.data, models: opts.models, limit: opts.limit, only: opts.only, ngramEveryNth: opts.ngramEvery, write: opts.write });
    });
}

/** Adds the `eval` command to the kotoba program. */
export function registerEvalCommand(program: Command): void {
  configureEvalCommand(program.command('eval'));
}
