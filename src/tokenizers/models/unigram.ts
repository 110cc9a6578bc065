import { FileFormatError } from '../../errors.js';
import { type Model, type WordTokens, WordCache, wordTokens } from './model.js';

/** Score of an unknown character below the lowest piece score (SentencePiece's kUnkPenalty). */
const UNK_PENALTY = 10;

/** A trie over UTF-16 code units; node 0 is the root. */
class PieceTrie {
  private readonly rootChildren = new Int32Array(65536).fill(-1);
  private readonly children: (Map<number, number> | undefined)[] = [undefined];
  /** Piece id ending at each node, or -1. */
  private pieceAt: number[] = [-1];

  insert(piece: string, id: number): void {
    let node = 0;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      let child = this.child(node, c);
      if (child < 0) {
        child = this.pieceAt.length;
        this.pieceAt.push(-1);
        this.children.push(undefined);
        if (node === 0) this.rootChildren[c] = child;
        else {
          let map = this.children[node];
          if (map === undefined) this.children[node] = map = new Map();
          map.set(c, child);
        }
      }
      node = child;
    }
    if (piece.length > 0) this.pieceAt[node] = id;
  }

  child(node: number, c: number): number {
    if (node === 0) return this.rootChildren[c];
    return this.children[node]?.get(c) ?? -1;
  }

  piece(node: number): number {
    return this.pieceAt[node];
  }
}

/**
 * Unigram language model (SentencePiece): the segmentation with the highest total piece score,
 * found by Viterbi over every vocabulary piece that matches at every character. A character no
 * piece covers is unknown; consecutive unknown characters are fused into one token.
 */
export class Unigram implements Model {
  readonly type = 'Unigram';
  private readonly vocabMap = new Map<string, number>();
  private readonly scores: Float64Array;
  private readonly trie = new PieceTrie();
  private readonly unkScore: number;
  private readonly cache = new WordCache();

  constructor(
    readonly pieces: [string, number][],
    readonly unkId: number | null,
    readonly byteFallback = false,
  ) {
    if (unkId !== null && (unkId < 0 || unkId >= pieces.length)) {
      throw new FileFormatError(`Unigram: unk_id ${unkId} is outside the vocabulary of ${pieces.length} pieces`);
    }
    this.scores = new Float64Array(pieces.length);
    let minScore = Infinity;
    pieces.forEach(([piece, score], id) => {
      this.vocabMap.set(piece, id);
      this.scores[id] = score;
      if (score < minScore) minScore = score;
    });
    // Lookups go by string, so a repeated piece resolves to its last id (as in tokenizers).
    for (const [piece, id] of this.vocabMap) this.trie.insert(piece, id);
    this.unkScore = minScore - UNK_PENALTY;
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  getVocab(): Map<string, number> {
    return this.vocabMap;
  }

  tokenToId(token: string): number | undefined {
    return this.vocabMap.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.pieces[id]?.[0];
  }

  tokenString(word: string, tokens: WordTokens, i: number): string {
    const id = tokens.ids[i];
    if (id === this.unkId) return word.slice(tokens.starts[i], tokens.ends[i]);
    return this.pieces[id][0];
  }

  tokenizeWord(word: string): WordTokens {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.viterbi(word);
    this.cache.set(word, result);
    return result;
  }

  private viterbi(word: string): WordTokens {
    const size = word.length;
    // Best path ending at each unit boundary: its score, where its last token starts, that token's id.
    const bestScore = new Float64Array(size + 1);
    const startsAt = new Int32Array(size + 1).fill(-1);
    const bestId = new Int32Array(size + 1);
    const trie = this.trie;
    const scores = this.scores;
    for (let start = 0; start < size; ) {
      const scoreHere = bestScore[start];
      const charLength = word.codePointAt(start)! > 0xffff ? 2 : 1;
      let hasSingle = false;
      let node = 0;
      for (let pos = start; pos < size; pos++) {
        node = trie.child(node, word.charCodeAt(pos));
        if (node < 0) break;
        const id = trie.piece(node);
        if (id < 0) continue;
        const end = pos + 1;
        const candidate = scores[id] + scoreHere;
        if (startsAt[end] < 0 || candidate > bestScore[end]) {
          bestScore[end] = candidate;
          startsAt[end] = start;
          bestId[end] = id;
        }
        if (end - start === charLength) hasSingle = true;
      }
      if (!hasSingle) {
        const end = start + charLength;
        const candidate = this.unkScore + scoreHere;
        if (startsAt[end] < 0 || candidate > bestScore[end]) {
          if (this.unkId === null) throw new FileFormatError(`Unigram: "${word.slice(start, end)}" is not in the vocabulary and there is no unk_id`);
          bestScore[end] = candidate;
          startsAt[end] = start;
          bestId[end] = this.unkId;
        }
      }
      start += charLength;
    }
    // Walk back from the end; fuse runs of unknown tokens.
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (let end = size; end > 0; end = startsAt[end]) {
      const start = startsAt[end];
      const id = bestId[end];
      const last = ids.length - 1;
      if (id === this.unkId && last >= 0 && ids[last] === id) starts[last] = start;
      else {
        ids.push(id);
        starts.push(start);
        ends.push(end);
      }
    }
    ids.reverse();
    starts.reverse();
    ends.reverse();
    return this.byteFallback ? this.withByteFallback(word, ids, starts, ends) : wordTokens(ids, starts, ends);
  }

  /** Unknown tokens become their UTF-8 bytes as <0xXX> pieces, when all of those exist. */
  private withByteFallback(word: string, ids: number[], starts: number[], ends: number[]): WordTokens {
    const outIds: number[] = [];
    const outStarts: number[] = [];
    const outEnds: number[] = [];
    ids.forEach((id, i) => {
      let byteIds: number[] | null = null;
      if (id === this.unkId) {
        byteIds = [];
        for (const b of Buffer.from(word.slice(starts[i], ends[i]), 'utf8')) {
          const byteId = this.vocabMap.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
          if (byteId === undefined) {
            byteIds = null;
            break;
          }
          byteIds.push(byteId);
        }
      }
      for (const b of byteIds ?? [id]) {
        outIds.push(b);
        outStarts.push(starts[i]);
        outEnds.push(ends[i]);
      }
    });
    return wordTokens(outIds, outStarts, outEnds);
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Unigram', unk_id: this.unkId, vocab: this.pieces, byte_fallback: this.byteFallback };
  }
}
