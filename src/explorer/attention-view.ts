/** One attention matrix out of an inspection: a set, a layer, a head (or the heads' mean), with its token labels. */
import { OptionError } from '../errors.js';
import type { AttentionSet, Inspection, TokenInfo } from './types.js';

export interface AttentionChoice {
  /** self (BERT, GPT-2), or encoder / decoder / cross (T5); default: the first set. */
  set?: AttentionSet['kind'];
  layer?: number;
  /** A head number, or 'average' for the mean over the layer's heads. */
  head?: number | 'average';
}

export interface AttentionView {
  title: string;
  set: AttentionSet['kind'];
  layer: number;
  head: number | 'average';
  rows: TokenInfo[];
  cols: TokenInfo[];
  /** [query][key] */
  matrix: number[][];
}

export function selectAttention(inspection: Inspection, choice: AttentionChoice = {}): AttentionView {
  const sets = inspection.attentions;
  const set = choice.set === undefined ? sets[0] : sets.find((s) => s.kind === choice.set);
  if (!set) throw new OptionError(`this model has no ${choice.set} attention; it has: ${sets.map((s) => s.kind).join(', ')}`);
  const layer = choice.layer ?? 0;
  if (!Number.isInteger(layer) || layer < 0 || layer >= set.weights.length) throw new OptionError(`layer ${layer} does not exist: the ${set.kind} attention has layers 0..${set.weights.length - 1}`);
  const heads = set.weights[layer];
  const head = choice.head ?? 0;
  if (head !== 'average' && (!Number.isInteger(head) || head < 0 || head >= heads.length)) throw new OptionError(`head ${head} does not exist: layers have heads 0..${heads.length - 1}`);
  const matrix = head === 'average'
    ? heads[0].map((row, i) => row.map((_, j) => heads.reduce((s, h) => s + h[i][j], 0) / heads.length))
    : heads[head];
  const tokens = (side: AttentionSet['queries']) => (side === 'output' ? (inspection.outputTokens ?? []) : inspection.tokens);
  return {
    title: `${set.title}, layer ${layer}, ${head === 'average' ? 'mean of heads' : `head ${head}`}`,
    set: set.kind, layer, head, rows: tokens(set.queries), cols: tokens(set.keys), matrix,
  };
}

/** A token as printed in labels: the piece, with ␣ for a word-initial space. */
export function printable(t: TokenInfo): string {
  const s = t.piece.startsWith('Ġ') ? `␣${t.text.trimStart()}` : t.piece.replace(/^▁/, '␣');
  return s.replace(/\s/g, '␣') || `<${t.id}>`;
}
