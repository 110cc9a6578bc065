/** The head's predictions as probability bars, and the logit-lens table. */
import { weightColor } from './colors.mjs';
import { el } from './dom.mjs';
import { tokensOf, tokenLabel, type View } from './state.mjs';
import type { TokenProbability } from '../types.js';

const shown = (t: TokenProbability) => JSON.stringify(t.text || t.token);

function bars(items: { label: string; prob: number }[], caption: string): HTMLElement {
  return el('div', { class: 'bars', role: 'list', 'aria-label': caption, 'data-kind': 'bars' }, ...items.flatMap(({ label, prob }) => [
    el('span', { role: 'listitem' }, label),
    el('div', { class: 'bar', style: `width:${(prob * 100).toFixed(1)}%`, 'aria-hidden': 'true' }),
    el('span', {}, `${(prob * 100).toFixed(1)}%`),
  ]));
}

export function renderPredictions(root: HTMLElement, view: View): void {
  const p = view.inspection.predictions;
  const hint = (s: string) => el('p', { class: 'hint' }, s);
  switch (p.kind) {
    case 'next-token':
      root.replaceChildren(hint(`Next token, top ${p.top.length} at temperature ${p.temperature}:`), bars(p.top.map((t) => ({ label: shown(t), prob: t.prob })), 'next-token probabilities'));
      break;
    case 'fill-mask':
      root.replaceChildren(...(p.masks.length === 0 ? [hint(`Put ${view.inspection.model.maskToken ?? '[MASK]'} in the text to see what the model fills in.`)] : p.masks.flatMap((m) => [
        hint(`Candidates for the mask at position ${m.position}:`), bars(m.candidates.map((t) => ({ label: shown(t), prob: t.prob })), `fill-mask candidates at ${m.position}`),
      ])));
      break;
    case 'classification':
      root.replaceChildren(hint('Label probabilities:'), bars(p.labels, 'label probabilities'));
      break;
    case 'seq2seq':
      root.replaceChildren(hint('Output:'), el('div', { class: 'output', 'data-kind': 'output' }, p.outputText || '(empty)'),
        hint(`Next decoder token, top ${p.next.length} at temperature ${p.temperature}:`), bars(p.next.map((t) => ({ label: shown(t), prob: t.prob })), 'next decoder token probabilities'));
      break;
    case 'none':
      root.replaceChildren(hint(p.reason));
      break;
  }
}

export function renderLens(root: HTMLElement, view: View): void {
  const lens = view.inspection.logitLens;
  if (!lens) {
    root.replaceChildren(el('p', { class: 'hint' }, 'Only for models with a language-model head that predicts the next token (GPT-2, T5).'));
    return;
  }
  const tokens = tokensOf(view.inspection, lens.tokens);
  const family = view.inspection.model.family;
  const head = el('tr', {}, el('th', { scope: 'col' }, 'layer'), ...tokens.map((t) => el('th', { scope: 'col' }, tokenLabel(t, family))));
  const rows = lens.top.map((positions, layer) => el('tr', {}, el('th', { scope: 'row' }, String(layer)), ...positions.map((top) => {
    const best = top[0];
    return el('td', { style: `background:${weightColor(best.prob * 0.7)}`, title: top.map((t) => `${shown(t)} ${(t.prob * 100).toFixed(1)}%`).join('\n') }, `${best.text || best.token} ${(best.prob * 100).toFixed(0)}%`);
  })));
  root.replaceChildren(el('table', { class: 'grid', 'aria-label': 'logit lens: top token per layer and position' }, el('thead', {}, head), el('tbody', {}, ...rows)));
}
