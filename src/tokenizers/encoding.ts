import { OptionError } from '../errors.js';

/**
 * The result of encoding one text (or pair): one entry per token in every array.
 * Offsets are [start, end) UTF-16 indices into the text of the token's sequence.
 */
export class Encoding {
  ids: number[] = [];
  tokens: string[] = [];
  offsets: [number, number][] = [];
  wordIds: (number | null)[] = [];
  sequenceIds: (number | null)[] = [];
  typeIds: number[] = [];
  attentionMask: number[] = [];
  specialTokensMask: number[] = [];

  get length(): number {
    return this.ids.length;
  }

  push(id: number, token: string, offset: [number, number], word: number | null, sequence: number | null, typeId: number, special: 0 | 1): void {
    this.ids.push(id);
    this.tokens.push(token);
    this.offsets.push(offset);
    this.wordIds.push(word);
    this.sequenceIds.push(sequence);
    this.typeIds.push(typeId);
    this.attentionMask.push(1);
    this.specialTokensMask.push(special);
  }

  /** Appends all tokens of `other`. */
  append(other: Encoding): void {
    if (this.length === 0) {
      for (const key of FIELDS) (this as unknown as Record<string, unknown[]>)[key] = other[key].slice();
      return;
    }
    for (const key of FIELDS) (this as unknown as Record<string, unknown[]>)[key] = (this[key] as unknown[]).concat(other[key]);
  }

  /** Keeps `maxLength` tokens, dropping from the end ("right") or the start ("left"). */
  truncate(maxLength: number, direction: 'right' | 'left' = 'right'): void {
    if (this.length <= maxLength) return;
    const keep = direction === 'right' ? [0, maxLength] : [this.length - maxLength, this.length];
    for (const key of FIELDS) (this as unknown as Record<string, unknown[]>)[key] = this[key].slice(keep[0], keep[1]);
  }

  /** Pads to `length` with the pad token (attention 0, special 1, no word, no sequence). */
  pad(length: number, options: { padId: number; padToken: string; padTypeId: number; direction: 'right' | 'left' }): void {
    const n = length - this.length;
    if (n <= 0) return;
    const fill = <T>(value: T): T[] => new Array<T>(n).fill(value);
    const add = <T>(values: T[], value: T): T[] => (options.direction === 'right' ? values.concat(fill(value)) : fill(value).concat(values));
    this.ids = add(this.ids, options.padId);
    this.tokens = add(this.tokens, options.padToken);
    this.offsets = options.direction === 'right' ? this.offsets.concat(fill(0).map(() => [0, 0] as [number, number])) : fill(0).map(() => [0, 0] as [number, number]).concat(this.offsets);
    this.wordIds = add<number | null>(this.wordIds, null);
    this.sequenceIds = add<number | null>(this.sequenceIds, null);
    this.typeIds = add(this.typeIds, options.padTypeId);
    this.attentionMask = add(this.attentionMask, 0);
    this.specialTokensMask = add(this.specialTokensMask, 1);
  }
}

const FIELDS = ['ids', 'tokens', 'offsets', 'wordIds', 'sequenceIds', 'typeIds', 'attentionMask', 'specialTokensMask'] as const;

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';

export interface TruncationOptions {
  maxLength: number;
  strategy?: TruncationStrategy;
  direction?: 'right' | 'left';
}

/**
 * Cuts a sequence (or pair) to `maxLength` content tokens, as tokenizers does: longest_first
 * keeps the shorter sequence whole when it can and otherwise splits the budget in halves;
 * only_first / only_second cut just that one.
 */
export function truncatePair(a: Encoding, b: Encoding | null, options: TruncationOptions): void {
  const { maxLength } = options;
  const direction = options.direction ?? 'right';
  const strategy = options.strategy ?? 'longest_first';
  const total = a.length + (b?.length ?? 0);
  if (total <= maxLength) return;
  if (strategy === 'longest_first') {
    if (b === null) {
      a.truncate(maxLength, direction);
      return;
    }
    const swap = a.length > b.length;
    let n1 = Math.min(a.length, b.length);
    let n2 = n1 > maxLength ? n1 : Math.max(n1, maxLength - n1);
    if (n1 + n2 > maxLength) {
      n1 = Math.floor(maxLength / 2);
      n2 = n1 + (maxLength % 2);
    }
    a.truncate(swap ? n2 : n1, direction);
    b.truncate(swap ? n1 : n2, direction);
    return;
  }
  const target = strategy === 'only_first' ? a : b;
  if (target === null) throw new OptionError('truncation "only_second" needs a pair of texts');
  const excess = total - maxLength;
  if (target.length <= excess) {
    throw new OptionError(`truncation "${strategy}": the sequence has ${target.length} tokens, too few to remove ${excess} (max length ${maxLength})`);
  }
  target.truncate(target.length - excess, direction);
}
