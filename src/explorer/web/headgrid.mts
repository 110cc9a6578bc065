/**
 * The overview: every head of the current layer as a small heatmap (plus their average), as
 * buttons that select the head. Arrow keys move between them.
 */
import { weightColor } from './colors.mjs';
import { arrowKeys, el, roving } from './dom.mjs';
import { currentMatrix, type View } from './state.mjs';

const SIZE = 72;

function thumbnail(matrix: number[][]): HTMLCanvasElement {
  const canvas = el('canvas', { width: SIZE, height: SIZE, 'aria-hidden': 'true' });
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const rows = matrix.length;
  const cols = matrix[0]?.length ?? 1;
  matrix.forEach((weights, i) => weights.forEach((w, j) => {
    ctx.fillStyle = weightColor(w);
    ctx.fillRect(Math.floor((j * SIZE) / cols), Math.floor((i * SIZE) / rows), Math.ceil(SIZE / cols), Math.ceil(SIZE / rows));
  }));
  return canvas;
}

export function renderHeadGrid(root: HTMLElement, view: View, onSelect: (head: number | 'average') => void): void {
  const heads = view.inspection.attentions[view.set].weights[view.layer].length;
  const hadFocus = root.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset['head'] : undefined;
  const choices: (number | 'average')[] = [...Array.from({ length: heads }, (_, h) => h), 'average'];
  const buttons = choices.map((h) => {
    const selected = h === 'average' ? view.average : !view.average && view.head === h;
    const button = el('button', { type: 'button', class: 'head-thumb', 'aria-pressed': String(selected), 'aria-label': h === 'average' ? `average of all heads, layer ${view.layer}` : `layer ${view.layer} head ${h}`, 'data-head': String(h) },
      thumbnail(currentMatrix(view, h)), h === 'average' ? 'average' : `head ${h}`);
    button.addEventListener('click', () => onSelect(h));
    return button;
  });
  buttons.forEach((b, i) => b.addEventListener('keydown', (e) => arrowKeys(buttons, e, i)));
  roving(buttons, view.average ? heads : view.head);
  root.replaceChildren(...buttons);
  if (hadFocus !== undefined) buttons.find((b) => b.dataset['head'] === hadFocus)?.focus();
}
