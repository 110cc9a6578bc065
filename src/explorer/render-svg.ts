/** The attention matrix as a standalone SVG file: cells, token labels, and each weight in a tooltip. */
import { printable, type AttentionView } from './attention-view.js';

const CELL = 26;
const LABEL = 110;

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function colorOf(w: number): [number, number, number] {
  const t = Math.sqrt(Math.max(0, Math.min(1, w)));
  return [11, 87, 208].map((v) => Math.round(255 - (255 - v) * t)) as [number, number, number];
}

export function attentionSvg(view: AttentionView): string {
  // wide enough for the title line too (about 8 px per character at 13 px monospace)
  const width = Math.max(LABEL + view.cols.length * CELL + 10, 16 + view.title.length * 8);
  const height = LABEL + view.rows.length * CELL + 34;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, monospace" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="18" font-size="13">${escape(view.title)}</text>`,
  ];
  view.cols.forEach((t, j) => {
    const x = LABEL + j * CELL + CELL / 2 + 4;
    out.push(`<text x="${x}" y="${LABEL - 6}" transform="rotate(-90 ${x} ${LABEL - 6})"${t.special ? ' fill="#8e24aa"' : ''}>${escape(printable(t))}</text>`);
  });
  view.rows.forEach((t, i) => {
    out.push(`<text x="${LABEL - 6}" y="${LABEL + i * CELL + CELL / 2 + 4}" text-anchor="end"${t.special ? ' fill="#8e24aa"' : ''}>${escape(printable(t))}</text>`);
  });
  view.matrix.forEach((row, i) => row.forEach((w, j) => {
    const [r, g, b] = colorOf(w);
    out.push(`<rect x="${LABEL + j * CELL}" y="${LABEL + i * CELL}" width="${CELL}" height="${CELL}" fill="rgb(${r},${g},${b})" stroke="#fff" stroke-width="0.5"><title>${escape(`${printable(view.rows[i])} → ${printable(view.cols[j])}: ${w.toFixed(4)}`)}</title></rect>`);
  }));
  out.push(`<text x="8" y="${height - 10}" font-size="11" fill="#5f6368">rows attend to columns; white = 0, blue = 1</text>`, '</svg>', '');
  return out.join('\n');
}
