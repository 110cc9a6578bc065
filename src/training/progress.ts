/**
 * Watching a run. On a terminal: one progress line redrawn in place
 *   "step 120/1000 [###-------] 12% | loss 3.2141 | lr 4.8e-4 | 1,830 tok/s | ETA 7m12s"
 * Elsewhere (a log file, CI): plain lines, one per log step. Evaluations always print a line.
 */
import type { MetricsRecord } from './metrics-log.js';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface ProgressUpdate {
  step: number;
  total: number;
  loss: number;
  learningRate: number;
  tokensPerSecond: number;
  /** Seconds left at the current speed. */
  etaSeconds: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One log or eval record as "key value" pairs. */
export function formatRecord(record: MetricsRecord): string {
  return Object.entries(record)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(4)}`)
    .join(' | ');
}

export class ProgressReporter {
  private readonly bar: boolean;
  private readonly silent: boolean;
  private drawn = false;

  constructor(mode: ProgressMode = 'auto', private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.silent = mode === 'none';
    this.bar = mode === 'bar' || (mode === 'auto' && stream.isTTY === true);
  }

  /** Redraws the bar (terminal only; plain mode prints at log steps through `line`). */
  update(u: ProgressUpdate): void {
    if (this.silent || !this.bar) return;
    const width = 20;
    const done = u.total > 0 ? Math.min(1, u.step / u.total) : 0;
    const filled = Math.round(done * width);
    const text = `step ${u.step}/${u.total} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(done * 100)}%`
      + ` | loss ${u.loss.toFixed(4)} | lr ${u.learningRate.toExponential(1)}`
      + ` | ${Math.round(u.tokensPerSecond).toLocaleString('en-US')} tok/s | ETA ${formatDuration(u.etaSeconds)}`;
    this.stream.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }

  /** A line of its own (log records, evaluations, messages); the bar is redrawn on the next update. */
  line(text: string): void {
    if (this.silent) return;
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(text + '\n');
    this.drawn = false;
  }

  end(): void {
    if (this.drawn && !this.silent) this.stream.write('\n');
    this.drawn = false;
  }
}
