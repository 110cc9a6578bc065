/** The printed table: one row per result, the baselines side by side, then the notes. */
import type { ModelEvaluation } from './results.js';

export const TABLE_COLUMNS = ['model', 'task', 'dataset', 'split', 'n', 'metric', 'model value', 'baselines'] as const;

/** A value as printed: percentages for accuracy-like metrics, 3 decimals for bits, 2 for chrF/BLEU. */
export function formatValue(metric: string, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (metric.endsWith('accuracy')) return `${(100 * value).toFixed(1)}%`;
  if (metric.startsWith('bits')) return value.toFixed(3);
  return value.toFixed(2);
}

export function formatTable(evaluations: readonly ModelEvaluation[]): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const e of evaluations) {
    if (!e.present) {
      rows.push([e.model, '(skipped)', '', '', '', '', '', e.why ?? 'not found']);
      continue;
    }
    for (const r of e.results) {
      const baselines = r.baselines.map((b) => `${b.name}: ${formatValue(r.metric, b.value)}`).join('; ');
      let task = r.task;
      if (r.note) {
        if (!notes.includes(r.note)) notes.push(r.note);
        task += ` [${notes.indexOf(r.note) + 1}]`;
      }
      rows.push([e.model, task, r.dataset, r.split, String(r.n), `${r.metric} (${r.higher_is_better ? 'higher' : 'lower'} is better)`, formatValue(r.metric, r.value), baselines]);
    }
  }
  const header = [...TABLE_COLUMNS];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === header.length - 1 ? 0 : r[i].length))));
  const line = (cells: readonly string[]) => '| ' + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join(' | ') + ' |';
  const out = [line(header), line(header.map((_, i) => '-'.repeat(i === header.length - 1 ? 9 : widths[i]))), ...rows.map(line)];
  if (notes.length) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  return out.join('\n');
}
