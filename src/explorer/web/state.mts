/** What the page is showing: the inspection, the chosen attention set, layer, head, and focused token. */
import type { AttentionSet, Inspection, ModelFamily, TokenInfo, TokenSide } from '../types.js';

/** A highlighted token: which list it is in, where, and whether to show what it attends to (query) or what attends to it (key). */
export interface Focus {
  side: TokenSide;
  index: number;
  role: 'query' | 'key';
}

export interface View {
  inspection: Inspection;
  set: number;
  layer: number;
  head: number;
  average: boolean;
  focus: Focus | null;
}

export function currentSet(view: View): AttentionSet {
  return view.inspection.attentions[Math.min(view.set, view.inspection.attentions.length - 1)];
}

export function tokensOf(inspection: Inspection, side: TokenSide): TokenInfo[] {
  return side === 'output' ? (inspection.outputTokens ?? []) : inspection.tokens;
}

/** The matrix on screen: one head's [query][key] weights, or the mean over the layer's heads. */
export function currentMatrix(view: View, head: number | 'average' = view.average ? 'average' : view.head): number[][] {
  const layer = currentSet(view).weights[view.layer];
  if (head !== 'average') return layer[head];
  return layer[0].map((row, i) => row.map((_, j) => layer.reduce((s, h) => s + h[i][j], 0) / layer.length));
}

/** How a token is written on screen: the piece, with word-initial spaces as ␣ (GPT-2 shows its decoded text). */
export function tokenLabel(t: TokenInfo, family: ModelFamily): string {
  if (family === 'gpt2') return t.text.replace(/^ /, '␣').replace(/\n/g, '⏎') || t.piece;
  return t.piece.replace(/^▁/, '␣');
}

/** The focus as rows/columns of the current set: which query row and key column to highlight. */
export function focusedCells(view: View): { row: number | null; col: number | null } {
  const f = view.focus;
  if (!f) return { row: null, col: null };
  const set = currentSet(view);
  const asQuery = set.queries === f.side && (f.role === 'query' || set.keys !== f.side);
  if (asQuery) return { row: f.index, col: null };
  if (set.keys === f.side) return { row: null, col: f.index };
  return { row: null, col: null };
}
