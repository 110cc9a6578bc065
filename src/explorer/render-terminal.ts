/**
 * The attention matrix as a terminal heatmap: two characters per cell, shaded with Unicode
 * blocks ( ░▒▓█), or coloured backgrounds (24-bit ANSI) when writing to a colour terminal.
 */
import { printable, type AttentionView } from './attention-view.js';

const SHADES = ['  ', '░░', '▒▒', '▓▓', '██'];

function shade(w: number): string {
  // square root: most weights are small, and the eye should still tell them apart
  return SHADES[Math.min(SHADES.length - 1, Math.round(Math.sqrt(Math.max(0, w)) * (SHADES.length - 1)))];
}

function colour(w: number): string {
  const t = Math.sqrt(Math.max(0, Math.min(1, w)));
  const [r, g, b] = [11, 87, 208].map((v) => Math.round(255 - (255 - v) * t));
  return `\x1b[48;2;${r};${g};${b}m  \x1b[0m`;
}

export function terminalHeatmap(view: AttentionView, options: { color?: boolean } = {}): string {
  const labels = view.rows.map((t, i) => `${String(i).padStart(3)} ${printable(t)}`);
  const width = Math.max(...labels.map((l) => [...l].length)) + 2;
  const pad = (s: string) => s + ' '.repeat(Math.max(0, width - [...s].length));
  const header = pad('') + view.cols.map((_, j) => String(j % 100).padStart(2)).join('');
  const lines = [view.title, header];
  view.matrix.forEach((row, i) => {
    lines.push(pad(labels[i]) + row.map((w) => (options.color ? colour(w) : shade(w))).join(''));
  });
  lines.push('');
  lines.push('columns: ' + view.cols.map((t, j) => `${j} ${printable(t)}`).join('  '));
  lines.push(`shade: ${options.color ? 'white = 0, blue = 1' : "' ' 0  ░ ~0.06  ▒ ~0.25  ▓ ~0.56  █ ~1"} (rows sum to 1)`);
  return lines.join('\n');
}
