/**
 * metrics.jsonl in the output folder: one JSON object per line for every log (training loss,
 * learning rate, speed) and every evaluation, appended as they happen so that `tail -f` works.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../hub/atomic.js';

export const METRICS_FILE = 'metrics.jsonl';

export type MetricsRecord = Record<string, number>;

export function appendMetrics(outputDir: string, record: MetricsRecord): void {
  appendFileSync(join(outputDir, METRICS_FILE), JSON.stringify(record) + '\n');
}

/** The records of metrics.jsonl (a torn last line from a killed run is ignored). */
export function readMetrics(outputDir: string): MetricsRecord[] {
  const file = join(outputDir, METRICS_FILE);
  if (!existsSync(file)) return [];
  const out: MetricsRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as MetricsRecord);
    } catch {
      // a line cut short by a kill
    }
  }
  return out;
}

/** On resume: keep only the records up to the checkpoint's step (the killed run may have logged past it). */
export function truncateMetrics(outputDir: string, step: number): void {
  const kept = readMetrics(outputDir).filter((r) => r.step <= step);
  writeFileAtomic(join(outputDir, METRICS_FILE), kept.map((r) => JSON.stringify(r) + '\n').join(''));
}
