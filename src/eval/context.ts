/** What every task evaluation receives. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface EvalContext {
  /** The data folder (../shared/data). */
  data: string;
  /** The models folder (models/). */
  models: string;
  /** --limit: examples of each test split (undefined: whole splits, 200 for generation). */
  limit?: number;
  /** The byte 5-gram baseline reads every nth line of the English corpus (1: all of it). */
  ngramEveryNth: number;
  /** Progress lines (stderr by default). */
  log: (line: string) => void;
}

/** Examples of a generation task when --limit is not given. */
export const DEFAULT_GENERATION_LIMIT = 200;

export function modelFolder(ctx: EvalContext, name: string): string | null {
  const folder = join(ctx.models, name);
  return existsSync(join(folder, 'config.json')) ? folder : null;
}

/** Splits items into batches of at most size. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Seconds since t0 (performance.now()), one decimal. */
export function since(t0: number): string {
  return ((performance.now() - t0) / 1000).toFixed(1);
}
