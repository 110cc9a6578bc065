import { FileFormatError } from '../../errors.js';
import { MinHeap } from './min-heap.js';
import { PairMap } from './pair-map.js';
import { type Model, type WordTokens, WordCache, invertVocab, vocabInIdOrder, wordTokens } from './model.js';

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
export class BPE implements Model {
  readonly type = 'BPE';
  readonly unkToken: string | null;
  readonly prefix: string;
  readonly suffix: string;
  readonly fuseUnk: boolean;
  readonly byteFallback: boolean;
  readonly ignoreMerges: boolean;
  readonly dropout: number | null;
  private readonly tokens: string[];
  /** (left id, right id) -> merge rank. */
  private readonly mergeRank: PairMap;
  private readonly mergeResult: Int32Array;
  private readonly cache = new WordCache();

  constructor(
    private readonly vocab: Map<string, number>,
    readonly merges: [string, string][],
    options: BpeOptions = {},
  ) {
    this.unkToken = options.unkToken ?? null;
    this.prefix = options.continuingSubwordPrefix ?? '';
    this.suffix = options.endOfWordSuffix ?? '';
    this.fuseUnk = options.fuseUnk ?? false;
    this.byteFallback = options.byteFallback ?? false;
    this.ignoreMerges = options.ignoreMerges ?? false;
    this.dropout = options.dropout ?? null;
    this.tokens = invertVocab(vocab);
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

  get vocabSize(): number {
    return this.vocab.size;
  }

  getVocab(): Map<string, number> {
    return this.vocab;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  tokenString(_word: string, tokens: WordTokens, i: number): string {
    return this.tokens[tokens.ids[i]];
  }

  tokenizeWord(word: string): WordTokens {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.ignoreMerges && this.vocab.has(word) ? wordTokens([this.vocab.get(word)!], [0], [word.length]) : this.merge(word);
    this.cache.set(word, result);
    return result;
  }

  /** The initial symbols: one per character, unknown ones as unk (fused), bytes, or dropped. */
  private initialSymbols(word: string, ids: number[], starts: number[], ends: number[]): void {
    const unk = this.unkToken === null ? undefined : this.vocab.get(this.unkToken);
    for (let i = 0; i < word.length; ) {
      const n = word.codePointAt(i)! > 0xffff ? 2 : 1;
      let piece = word.slice(i, i + n);
      if (i > 0 && this.prefix) piece = this.prefix + piece;
      if (i + n === word.length && this.suffix) piece += this.suffix;
      const id = this.vocab.get(piece);
      if (id !== undefined) {
        ids.push(id);
        starts.push(i);
        ends.push(i + n);
      } else if (!(this.byteFallback && this.pushBytes(word.slice(i, i + n), i, i + n, ids, starts, ends)) && unk !== undefined) {
        const last = ids.length - 1;
        if (this.fuseUnk && last >= 0 && ids[last] === unk && ends[last] === i) ends[last] = i + n;
        else {
          ids.push(unk);
          starts.push(i);
          ends.push(i + n);
        }
      }
      i += n;
    }
  }

  private pushBytes(ch: string, start: number, end: number, ids: number[], starts: number[], ends: number[]): boolean {
    const byteIds: number[] = [];
    for (const b of Buffer.from(ch, 'utf8')) {
      const id = this.vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      if (id === undefined) return false;
      byteIds.push(id);
    }
    for (const id of byteIds) {
      ids.push(id);
      starts.push(start);
      ends.push(end);
    }
    return true;
  }

  private merge(word: string): WordTokens {
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    this.initialSymbols(word, ids, starts, ends);
    const n = ids.length;
    if (n < 2) return wordTokens(ids, starts, ends);
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
    const outIds: number[] = [];
    const outStarts: number[] = [];
    const outEnds: number[] = [];
    for (let i = 0; i >= 0; i = next[i]) {
      outIds.push(ids[i]);
      outStarts.push(starts[i]);
      outEnds.push(ends[i]);
    }
    return wordTokens(outIds, outStarts, outEnds);
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
