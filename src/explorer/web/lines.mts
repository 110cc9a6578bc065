/**
 * Attention as lines between two columns of tokens: queries on the left, keys on the right,
 * each line as strong as its weight. Focusing a left token keeps only the lines it sends
 * (where it attends); a right token, the lines it receives (what attends to it).
 * The tokens are focusable: arrow keys up/down move in a column, left/right switch columns.
 */
import { arrowKeys, roving, svg } from './dom.mjs';
import { currentMatrix, currentSet, focusedCells, tokensOf, tokenLabel, type Focus, type View } from './state.mjs';

const ROW = 22;
const LEFT = 130;
const RIGHT = 330;
const TOP = 14;

export function renderLines(root: SVGSVGElement, view: View, onFocus: (f: Focus | null) => void): void {
  const set = currentSet(view);
  const matrix = currentMatrix(view);
  const family = view.inspection.model.family;
  const rows = tokensOf(view.inspection, set.queries);
  const cols = tokensOf(view.inspection, set.keys);
  const height = TOP + Math.max(rows.length, cols.length) * ROW;
  const width = RIGHT + 130;
  const { row: focusRow, col: focusCol } = focusedCells(view);
  const restoreFocus = root.contains(document.activeElement) ? (document.activeElement as SVGElement).dataset['key'] : undefined;
  root.replaceChildren();
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const y = (i: number) => TOP + i * ROW;

  const links = svg('g', { class: 'links' });
  matrix.forEach((weights, i) => {
    weights.forEach((w, j) => {
      if (focusRow !== null && i !== focusRow) return;
      if (focusCol !== null && j !== focusCol) return;
      if (w < 0.005) return;
      const strength = focusRow !== null || focusCol !== null ? Math.min(1, 0.15 + w) : w * 0.8;
      links.append(svg('line', { x1: LEFT + 6, y1: y(i) - 4, x2: RIGHT - 6, y2: y(j) - 4, class: 'link', 'stroke-opacity': strength.toFixed(3), 'stroke-width': (0.5 + 4 * w).toFixed(2), 'data-q': i, 'data-k': j, 'data-weight': String(w) }));
    });
  });
  root.append(links);

  const column = (tokens: typeof rows, side: 'query' | 'key'): SVGTextElement[] =>
    tokens.map((t, i) => {
      const active = side === 'query' ? focusRow === i : focusCol === i;
      const key = `${side}-${i}`;
      const text = svg('text', {
        x: side === 'query' ? LEFT : RIGHT, y: y(i), 'text-anchor': side === 'query' ? 'end' : 'start',
        class: `tok ${side}${t.special ? ' special' : ''}${active ? ' active' : ''}`, tabindex: 0, role: 'button',
        'aria-label': `${side === 'query' ? 'query' : 'key'} token ${i}: ${t.text || t.piece}${side === 'query' ? ', show where it attends' : ', show what attends to it'}`,
        'data-index': i, 'data-key': key,
      }, tokenLabel(t, family));
      const focus: Focus = { side: side === 'query' ? set.queries : set.keys, index: i, role: side };
      text.addEventListener('mouseenter', () => onFocus(focus));
      text.addEventListener('focus', () => onFocus(focus));
      return text;
    });
  const left = column(rows, 'query');
  const right = column(cols, 'key');
  left.forEach((t, i) => t.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight') { e.preventDefault(); right[Math.min(i, right.length - 1)].focus(); } else arrowKeys(left, e, i, { prev: ['ArrowUp'], next: ['ArrowDown'] });
  }));
  right.forEach((t, i) => t.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft') { e.preventDefault(); left[Math.min(i, left.length - 1)].focus(); } else arrowKeys(right, e, i, { prev: ['ArrowUp'], next: ['ArrowDown'] });
  }));
  roving(left, focusRow ?? 0);
  roving(right, focusCol ?? 0);
  root.append(...left, ...right);
  root.onmouseleave = () => onFocus(null);
  // re-rendering replaced the focused element: focus its successor so keyboard users keep their place
  if (restoreFocus) (root.querySelector(`[data-key="${restoreFocus}"]`) as SVGElement | null)?.focus();
}
