/**
 * The attention matrix as a heatmap: one cell per (query, key), rows summing to 1. Each cell
 * carries its exact weight in data-weight (and a tooltip for small matrices).
 */
import { inkOn, weightColor } from './colors.mjs';
import { svg } from './dom.mjs';
import { currentMatrix, currentSet, focusedCells, tokensOf, tokenLabel, type Focus, type View } from './state.mjs';

const LABEL = 96;

export function renderHeatmap(root: SVGSVGElement, view: View, onFocus: (f: Focus | null) => void): void {
  const set = currentSet(view);
  const matrix = currentMatrix(view);
  const family = view.inspection.model.family;
  const rows = tokensOf(view.inspection, set.queries);
  const cols = tokensOf(view.inspection, set.keys);
  const cell = Math.max(16, Math.min(30, Math.floor(420 / Math.max(rows.length, cols.length))));
  const width = LABEL + cols.length * cell + 4;
  const height = LABEL + rows.length * cell + 4;
  const { row: focusRow, col: focusCol } = focusedCells(view);
  root.replaceChildren();
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('aria-label', `attention heatmap, ${set.title}, layer ${view.layer}, ${view.average ? 'average of heads' : `head ${view.head}`}: ${rows.length} rows by ${cols.length} columns`);
  root.dataset['rows'] = String(rows.length);
  root.dataset['cols'] = String(cols.length);

  cols.forEach((t, j) => {
    const x = LABEL + j * cell + cell / 2;
    const text = svg('text', { x: x + 4, y: LABEL - 6, transform: `rotate(-90 ${x + 4} ${LABEL - 6})`, class: `tok col${t.special ? ' special' : ''}${focusCol === j ? ' active' : ''}`, 'data-index': j }, tokenLabel(t, family));
    text.addEventListener('mouseenter', () => onFocus({ side: set.keys, index: j, role: 'key' }));
    root.append(text);
  });
  rows.forEach((t, i) => {
    const text = svg('text', { x: LABEL - 6, y: LABEL + i * cell + cell / 2 + 4, 'text-anchor': 'end', class: `tok row${t.special ? ' special' : ''}${focusRow === i ? ' active' : ''}`, 'data-index': i }, tokenLabel(t, family));
    text.addEventListener('mouseenter', () => onFocus({ side: set.queries, index: i, role: 'query' }));
    root.append(text);
  });
  const titles = rows.length * cols.length <= 2500;
  const grid = svg('g', { class: 'cells' });
  matrix.forEach((weights, i) => {
    weights.forEach((w, j) => {
      const classes = ['cell'];
      if (i === focusRow) classes.push('focus-row');
      if (j === focusCol) classes.push('focus-col');
      const rect = svg('rect', { x: LABEL + j * cell, y: LABEL + i * cell, width: cell, height: cell, fill: weightColor(w), class: classes.join(' '), 'data-q': i, 'data-k': j, 'data-weight': String(w) });
      if (titles) rect.append(svg('title', {}, `${tokenLabel(rows[i], family)} → ${tokenLabel(cols[j], family)}: ${w.toFixed(4)}`));
      grid.append(rect);
      // print the weight inside big enough cells of the focused row
      if (i === focusRow && cell >= 26) grid.append(svg('text', { x: LABEL + j * cell + cell / 2, y: LABEL + i * cell + cell / 2 + 3, 'text-anchor': 'middle', style: `font-size:9px;fill:${inkOn(w)};pointer-events:none` }, w.toFixed(2).replace(/^0/, '')));
    });
  });
  grid.addEventListener('mouseover', (e) => {
    const target = e.target as SVGElement;
    if (target.dataset['q'] !== undefined) onFocus({ side: set.queries, index: Number(target.dataset['q']), role: 'query' });
  });
  root.append(grid);
  root.onmouseleave = () => onFocus(null);
}
