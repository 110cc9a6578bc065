import { FileFormatError } from '../../errors.js';
import { MinHeap } from './min-heap.js';
import { PairMap } from './pair-map.js';
import { type WordTokens, VocabularyModel, vocabInIdOrder, wordTokens } from './model.js';

export interface BpeOptions {
  unkToken?: string | null;
  continuingSubwordPrefix?: string;
  endOfWordSuffix?: string;
  fuseUnk?: boolean;
  byteFallback?: boolean;
  ignoreMerges?: boolean;
  dropout?: number | null;
}

/** Heap entries pack (rank, position) as rank * POSITIONS + position: lower rank first, then leftmost. */
const POSITIONS = 2 ** 32;

/**
 * Byte-pair encoding: start from characters (with optional prefix/suffix), then repeatedly merge
 * the adjacent pair with the lowest merge rank, leftmost first, until no pair has a merge.
 */
export class BPE extends VocabularyModel {
  readonly type = 'BPE';
  readonly unkToken: string | null;
  readonly prefix: string;
  readonly suffix: string;
  readonly fuseUnk: boolean;
  readonly byteFallback: boolean;
  readonly ignoreMerges: boolean;
  readonly dropout: number | null;
  /** (left id, right id) -> merge rank. */
  private readonly mergeRank: PairMap;
  private readonly mergeResult: Int32Array;

  constructor(
    vocab: Map<string, number>,
    readonly merges: [string, string][],
    options: BpeOptions = {},
  ) {
    super(vocab);
    this.unkToken = options.unkToken ?? null;
    this.prefix = options.continuingSubwordPrefix ?? '';
    this.suffix = options.endOfWordSuffix ?? '';
    this.fuseUnk = options.fuseUnk ?? false;
    this.byteFallback = options.byteFallback ?? false;
    this.ignoreMerges = options.ignoreMerges ?? false;
    this.dropout = options.dropout ?? null;
    this.mergeResult = new Int32Array(merges.length);
    this.mergeRank = new PairMap(merges.length);
    const prefixLength = this.prefix.length;
    merges.forEach(([a, b], rank) => {
      const left = vocab.get(a);
      const right = vocab.get(b);
      // The merged token drops the right side's continuation prefix.
      const merged = vocab.get(a + (prefixLength > 0 && b.startsWith(this.prefix) ? b.slice(prefixLength) : b));
      if (left === undefined || right === undefined || merged === undefined) {
        throw new FileFormatError(`BPE merge ${rank} ("${a} ${b}") uses a token that is not in the vocabulary`);
      }
      // As in tokenizers, a repeated pair keeps its last rank.
      this.mergeRank.set(left, right, rank);
      this.mergeResult[rank] = merged;
    });
  }

  protected tokenizeUncached(word: string): WordTokens {
    return this.ignoreMerges && this.vocab.has(word) ? wordTokens([this.vocab.get(word)!], [0], [word.length]) : this.merge(word);
  }

  /**
   * The initial symbols: one per character (with prefix/suffix), unknown ones as unk (fused),
   * as <0xXX> bytes, or dropped. Written into typed arrays: a long word costs 12 bytes a symbol.
   */
  private initialSymbols(word: string): { ids: Int32Array; starts: Int32Array; ends: Int32Array; count: number } {
    const capacity = word.length * (this.byteFallback ? 4 : 1);
    const ids = new Int32Array(capacity);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    let count = 0;
    const push = (id: number, start: number, end: number): void => {
      ids[count] = id;
      starts[count] = start;
      ends[count++] = end;
    };
    const unk = this.unkToken === null ? undefined : this.vocab.get(this.unkToken);
    for (let i = 0; i < word.length; ) {
      const n = word.codePointAt(i)! > 0xffff ? 2 : 1;
      let piece = word.slice(i, i + n);
      if (i > 0 && this.prefix) piece = this.prefix + piece;
      if (i + n === word.length && this.suffix) piece += this.suffix;
      const id = this.vocab.get(piece);
      if (id !== undefined) push(id, i, i + n);
      else if (this.byteFallback && this.byteIds(word.slice(i, i + n)) !== null) {
        for (const b of this.byteIds(word.slice(i, i + n))!) push(b, i, i + n);
      } else if (unk !== undefined) {
        if (this.fuseUnk && count > 0 && ids[count - 1] === unk && ends[count - 1] === i) ends[count - 1] = i + n;
        else push(unk, i, i + n);
      }
      i += n;
    }
    return { ids, starts, ends, count };
  }

  /** Ids of the <0xXX> tokens of a character's UTF-8 bytes, or null if one is missing. */
  private byteIds(ch: string): number[] | null {
    const ids: number[] = [];
    for (const b of Buffer.from(ch, 'utf8')) {
      const id = this.vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      if (id === undefined) return null;
      ids.push(id);
    }
    return ids;
  }

  private merge(word: string): WordTokens {
    const { ids, starts, ends, count: n } = this.initialSymbols(word);
    if (n < 2) return { ids: ids.slice(0, n), starts: starts.slice(0, n), ends: ends.slice(0, n) };
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const alive = new Uint8Array(n).fill(1);
    const heap = new MinHeap(n);
    const pushPair = (left: number): void => {
      const right = next[left];
      if (right < 0) return;
      const rank = this.mergeRank.get(ids[left], ids[right]);
      if (rank >= 0) heap.push(rank * POSITIONS + left);
    };
    for (let i = 0; i + 1 < n; i++) pushPair(i);
    while (heap.size > 0) {
      const top = heap.pop();
      const rank = Math.floor(top / POSITIONS);
      const left = top - rank * POSITIONS;
      const right = next[left];
      // Stale entry: the symbol was merged away, or the pair has changed since it was queued.
      if (!alive[left] || right < 0 || this.mergeRank.get(ids[left], ids[right]) !== rank) continue;
      ids[left] = this.mergeResult[rank];
      ends[left] = ends[right];
      alive[right] = 0;
      next[left] = next[right];
      if (next[right] >= 0) prev[next[right]] = left;
      if (prev[left] >= 0) pushPair(prev[left]);
      pushPair(left);
    }
    let count = 0;
    for (let i = 0; i >= 0; i = next[i]) count++;
    const result = { ids: new Int32Array(count), starts: new Int32Array(count), ends: new Int32Array(count) };
    for (let i = 0, k = 0; i >= 0; i = next[i], k++) {
      result.ids[k] = ids[i];
      result.starts[k] = starts[i];
      result.ends[k] = ends[i];
    }
    return result;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'BPE',
      dropout: this.dropout,
      unk_token: this.unkToken,
      continuing_subword_prefix: this.prefix,
      end_of_word_suffix: this.suffix,
      fuse_unk: this.fuseUnk,
      byte_fallback: this.byteFallback,
      ignore_merges: this.ignoreMerges,
      vocab: vocabInIdOrder(this.vocab),
      merges: this.merges,
    };
  }
}
