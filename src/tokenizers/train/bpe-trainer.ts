import { MaxHeap } from './max-heap.js';

export interface BpeTrainerOptions {
  vocabSize: number;
  /** Pairs seen fewer times than this are never merged. */
  minFrequency: number;
  specialTokens: string[];
  /** Characters always in the vocabulary (e.g. the 256 byte characters of byte-level BPE). */
  initialAlphabet?: string[];
  /** Prefix of non-initial pieces ("##" for WordPiece). */
  continuingSubwordPrefix?: string;
}

export interface BpeTrainingResult {
  vocab: Map<string, number>;
  merges: [string, string][];
}

/**
 * Learns BPE merges from word counts: start from characters, repeatedly merge the most frequent
 * adjacent pair (ties: the smaller ids first) until the vocabulary is full or the best pair is
 * rarer than minFrequency. Pair counts are updated incrementally, only in the words that contain
 * the merged pair.
 */
export function trainBpe(wordCounts: Map<string, number>, options: BpeTrainerOptions): BpeTrainingResult {
  const prefix = options.continuingSubwordPrefix ?? '';
  const tokens: string[] = [];
  const vocab = new Map<string, number>();
  const addToken = (t: string): number => {
    let id = vocab.get(t);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(t);
      vocab.set(t, id);
    }
    return id;
  };
  for (const t of options.specialTokens) addToken(t);

  // The alphabet, sorted by code point, then the words as symbol ids.
  const alphabet = new Set(options.initialAlphabet ?? []);
  for (const word of wordCounts.keys()) for (const ch of word) alphabet.add(ch);
  for (const ch of [...alphabet].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)) addToken(ch);
  const words: number[][] = [];
  const counts: number[] = [];
  const sortedWords = [...wordCounts.keys()].sort();
  for (const word of sortedWords) {
    const symbols = [...word].map((ch, i) => addToken(i > 0 && prefix ? prefix + ch : ch));
    words.push(symbols);
    counts.push(wordCounts.get(word)!);
  }

  const key = (a: number, b: number): number => a * 2 ** 24 + b;
  const pairCounts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: number): void => {
    const s = words[w];
    for (let i = 0; i + 1 < s.length; i++) {
      const k = key(s[i], s[i + 1]);
      pairCounts.set(k, (pairCounts.get(k) ?? 0) + sign * counts[w]);
      if (sign > 0) {
        let set = where.get(k);
        if (set === undefined) where.set(k, (set = new Set()));
        set.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);
  // Max-heap on count, then smaller pair key; entries go stale and are re-checked when popped.
  const heap = new MaxHeap();
  for (const [k, c] of pairCounts) heap.push(c, k);

  const merges: [string, string][] = [];
  while (tokens.length < options.vocabSize && heap.size > 0) {
    const [count, k] = heap.pop();
    const current = pairCounts.get(k) ?? 0;
    if (current !== count) {
      if (current > 0) heap.push(current, k);
      continue;
    }
    if (count < options.minFrequency || count <= 0) break;
    const a = Math.floor(k / 2 ** 24);
    const b = k - a * 2 ** 24;
    const right = tokens[b];
    const merged = addToken(tokens[a] + (prefix && right.startsWith(prefix) ? right.slice(prefix.length) : right));
    merges.push([tokens[a], right]);
    const touched = new Set<number>();
    for (const w of where.get(k) ?? []) {
      const s = words[w];
      let has = false;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) has = true;
      if (!has) continue;
      addPairs(w, -1);
      const next: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(s[i]);
      }
      words[w] = next;
      addPairs(w, 1);
      for (let i = 0; i + 1 < next.length; i++) touched.add(key(next[i], next[i + 1]));
    }
    pairCounts.delete(k);
    for (const t of touched) {
      const c = pairCounts.get(t) ?? 0;
      if (c > 0) heap.push(c, t);
    }
  }
  return { vocab, merges };
}
