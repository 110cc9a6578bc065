/** Hidden states per layer: norm and cosine-to-previous-layer tables, one per stack (T5 has two). */
import { signedColor, weightColor } from './colors.mjs';
import { el } from './dom.mjs';
import { tokensOf, tokenLabel, type View } from './state.mjs';
import type { HiddenStateStats } from '../types.js';

function table(view: View, stats: HiddenStateStats, what: 'norm' | 'cosine'): HTMLTableElement {
  const tokens = tokensOf(view.inspection, stats.tokens);
  const family = view.inspection.model.family;
  const values = what === 'norm' ? stats.norms : stats.cosineToPrevious;
  // norms are coloured from the smallest (white) to the largest of the stack
  const min = Math.min(...stats.norms.flat());
  const span = Math.max(1e-9, Math.max(...stats.norms.flat()) - min);
  const head = el('tr', {}, el('th', { scope: 'col' }, 'layer'), ...tokens.map((t) => el('th', { scope: 'col' }, tokenLabel(t, family))));
  const body = values.map((row, layer) => el('tr', {}, el('th', { scope: 'row' }, String(layer)), ...row.map((v) => {
    if (v === null) return el('td', {}, '–');
    const background = what === 'norm' ? weightColor(((v - min) / span) * 0.5) : signedColor(v * 0.7);
    return el('td', { style: `background:${background}` }, what === 'norm' ? v.toFixed(2) : v.toFixed(3));
  })));
  return el('table', { class: 'grid', 'aria-label': `${stats.stack} hidden-state ${what === 'norm' ? 'norms' : 'cosine to previous layer'}` }, el('thead', {}, head), el('tbody', {}, ...body));
}

export function renderHidden(root: HTMLElement, view: View): void {
  root.replaceChildren(...view.inspection.hiddenStates.flatMap((stats) => [
    el('h3', { class: 'hint' }, `${stats.stack === 'model' ? '' : `${stats.stack}: `}norm ‖h‖`), table(view, stats, 'norm'),
    el('h3', { class: 'hint' }, `${stats.stack === 'model' ? '' : `${stats.stack}: `}cosine to the previous layer`), table(view, stats, 'cosine'),
  ]));
}
