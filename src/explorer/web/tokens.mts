/** The token strip: each token's piece and id, special tokens marked, focusable with arrow keys. */
import { arrowKeys, el, roving } from './dom.mjs';
import { tokensOf, tokenLabel, type Focus, type View } from './state.mjs';
import type { TokenSide } from '../types.js';

export function renderTokens(root: HTMLElement, view: View, side: TokenSide, onFocus: (f: Focus | null) => void): void {
  const tokens = tokensOf(view.inspection, side);
  const family = view.inspection.model.family;
  const hadFocus = root.contains(document.activeElement) ? Number((document.activeElement as HTMLElement).dataset['index']) : -1;
  const buttons = tokens.map((t, i) => {
    const active = view.focus?.side === side && view.focus.index === i;
    const button = el('button', {
      type: 'button', class: `token${t.special ? ' special' : ''}${active ? ' active' : ''}`, 'data-index': i,
      'aria-label': `token ${i}: ${t.piece}, id ${t.id}${t.special ? ', special token' : ''}`,
      title: `piece ${JSON.stringify(t.piece)}, text ${JSON.stringify(t.text)}${t.offset ? `, characters ${t.offset[0]}–${t.offset[1]}` : ''}`,
    }, el('span', { class: 'piece' }, tokenLabel(t, family)), el('span', { class: 'id' }, String(t.id)));
    const focus: Focus = { side, index: i, role: 'query' };
    button.addEventListener('mouseenter', () => onFocus(focus));
    button.addEventListener('focus', () => onFocus(focus));
    return button;
  });
  buttons.forEach((b, i) => b.addEventListener('keydown', (e) => arrowKeys(buttons, e, i)));
  roving(buttons, hadFocus >= 0 ? hadFocus : view.focus?.side === side ? view.focus.index : 0);
  root.replaceChildren(...buttons);
  if (hadFocus >= 0 && buttons[hadFocus]) buttons[hadFocus].focus();
}
