/**
 * A self-contained SVG chart of a run, rewritten at every evaluation (training.svg next to
 * metrics.jsonl): training and evaluation loss against the step, and, when there is one, a second
 * panel with the evaluation metric that picks the best model (accuracy, F1, ...), or perplexity for
 * language models. Hand-written, no dependencies.
 */
import type { MetricsRecord } from './metrics-log.js';

export const PLOT_FILE = 'training.svg';

interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

const WIDTH = 640;
const PANEL_HEIGHT = 240;
const MARGIN = { left: 60, right: 20, top: 28, bottom: 36 };

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1000 || a < 0.01 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** One panel: axes with 5 ticks each, a polyline per series, a legend. */
function panel(title: string, series: Series[], top: number): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return '';
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const w = WIDTH - MARGIN.left - MARGIN.right;
  const h = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const X = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * w;
  const Y = (y: number) => top + MARGIN.top + h - ((y - y0) / (y1 - y0)) * h;
  const parts: string[] = [];
  parts.push(`<text x="${MARGIN.left}" y="${top + 18}" font-size="13" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4;
    const xv = x0 + ((x1 - x0) * i) / 4;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${Y(yv)}" y2="${Y(yv)}" stroke="#eee"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${Y(yv) + 4}" font-size="10" text-anchor="end">${fmt(yv)}</text>`);
    parts.push(`<text x="${X(xv)}" y="${top + MARGIN.top + h + 14}" font-size="10" text-anchor="middle">${Math.round(xv)}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + w / 2}" y="${top + PANEL_HEIGHT - 4}" font-size="11" text-anchor="middle">step</text>`);
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const pts = s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts}"/>`);
    if (s.points.length === 1) parts.push(`<circle cx="${X(s.points[0][0])}" cy="${Y(s.points[0][1])}" r="3" fill="${s.color}"/>`);
    const lx = MARGIN.left + w - 150;
    const ly = top + MARGIN.top + 14 + i * 14;
    parts.push(`<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 20}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}

/** The SVG text for a run's records; `metric` names the eval metric of the second panel. */
export function renderTrainingPlot(records: readonly MetricsRecord[], metric?: string): string {
  const pick = (key: string): [number, number][] => records.filter((r) => Number.isFinite(r[key]) && Number.isFinite(r.step)).map((r) => [r.step, r[key]]);
  const panels: string[] = [panel('loss', [
    { name: 'train loss', color: '#1f77b4', points: pick('loss') },
    { name: 'eval loss', color: '#d62728', points: pick('eval_loss') },
  ], 0)];
  // the chosen metric, or perplexity when the run is judged by its loss (language modeling)
  const metricKey = metric && metric !== 'loss' ? `eval_${metric.replace(/^eval_/, '')}` : 'eval_perplexity';
  if (pick(metricKey).length) panels.push(panel(metricKey, [{ name: metricKey, color: '#2ca02c', points: pick(metricKey) }], PANEL_HEIGHT));
  const height = PANEL_HEIGHT * panels.length;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">\n`
    + `<rect width="100%" height="100%" fill="white"/>\n${panels.join('\n')}\n</svg>\n`;
}
