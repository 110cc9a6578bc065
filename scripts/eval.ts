/**
 * `npm run eval`: builds, then evaluates the shipped models (the same as `kotoba eval`).
 *
 *   npm run eval -- --limit 50 --only kotoba-t5-mini --no-write
 */
import { Command } from 'commander';
import { configureEvalCommand } from '../src/cli/eval.js';

const program = configureEvalCommand(new Command('eval'));
program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? `eval: ${err.message}` : err);
  process.exit(1);
});
