export interface UnigramTrainerOptions {
  /** Pieces to learn, not counting the special tokens. */
  pieceCount: number;
  /** Longest piece, in characters. */
  maxPieceLength?: number;
  /** Each pruning round keeps this fraction of the pieces. */
  shrinkingFactor?: number;
  /** EM passes between prunings. */
  emIterations?: number;
}

/**
 * Learns Unigram pieces and scores from word counts, after SentencePiece: seed with the most
 * frequent substrings (plus every character, so that every word stays segmentable), then
 * alternate EM (expected piece counts by forward-backward over each word's lattice, scores =
 * log relative frequency) with pruning of the least probable multi-character pieces, until the
 * vocabulary fits. Returns [piece, score] sorted by score, best first.
 */
export function trainUnigram(wordCounts: Map<string, number>, options: UnigramTrainerOptions): [string, number][] {
  const maxLength = options.maxPieceLength ?? 16;
  const shrinking = options.shrinkingFactor ?? 0.75;
  const emIterations = options.emIterations ?? 2;
  const words = [...wordCounts.entries()].map(([w, c]): [string[], number] => [[...w], c]);

  // Seeds: characters (always kept) and frequent substrings, ranked by frequency x length.
  const chars = new Map<string, number>();
  const substrings = new Map<string, number>();
  for (const [w, c] of words) {
    for (let i = 0; i < w.length; i++) {
      chars.set(w[i], (chars.get(w[i]) ?? 0) + c);
      let s = w[i];
      for (let j = i + 1; j < w.length && j - i < maxLength; j++) {
        s += w[j];
        substrings.set(s, (substrings.get(s) ?? 0) + c);
      }
    }
  }
  const seedCount = Math.max(options.pieceCount * 8, 4000);
  const seeds = [...substrings.entries()]
    .filter(([, c]) => c > 1)
    .sort((a, b) => b[1] * [...b[0]].length - a[1] * [...a[0]].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, seedCount);
  let pieces = new Map<string, number>();
  const total = [...chars.values(), ...seeds.map(([, c]) => c)].reduce((a, b) => a + b, 0);
  for (const [s, c] of [...chars.entries(), ...seeds]) pieces.set(s, Math.log(c) - Math.log(total));

  for (;;) {
    for (let iteration = 0; iteration < emIterations; iteration++) pieces = emStep(words, pieces, chars, maxLength);
    if (pieces.size <= options.pieceCount) break;
    // Prune: keep every character and the most probable other pieces.
    const target = Math.max(options.pieceCount, Math.floor(pieces.size * shrinking));
    const others = [...pieces.entries()].filter(([p]) => !chars.has(p)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const keep = new Map([...pieces.entries()].filter(([p]) => chars.has(p)));
    for (const [p, s] of others.slice(0, Math.max(0, target - keep.size))) keep.set(p, s);
    pieces = keep;
    if (pieces.size <= options.pieceCount) {
      pieces = emStep(words, pieces, chars, maxLength);
      break;
    }
  }
  return [...pieces.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** One EM pass: expected counts of each piece over all words, then new log-probability scores. */
function emStep(words: [string[], number][], pieces: Map<string, number>, chars: Map<string, number>, maxLength: number): Map<string, number> {
  const expected = new Map<string, number>();
  for (const [w, count] of words) {
    const n = w.length;
    // Edges of the lattice: [start, end, piece, score].
    const edges: [number, number, string, number][] = [];
    const alpha = new Float64Array(n + 1).fill(-Infinity);
    alpha[0] = 0;
    for (let i = 0; i < n; i++) {
      if (alpha[i] === -Infinity) continue;
      let s = '';
      for (let j = i; j < n && j - i < maxLength; j++) {
        s += w[j];
        const score = pieces.get(s);
        if (score === undefined) continue;
        edges.push([i, j + 1, s, score]);
        alpha[j + 1] = logAdd(alpha[j + 1], alpha[i] + score);
      }
    }
    const beta = new Float64Array(n + 1).fill(-Infinity);
    beta[n] = 0;
    for (let k = edges.length - 1; k >= 0; k--) {
      const [i, j, , score] = edges[k];
      beta[i] = logAdd(beta[i], beta[j] + score);
    }
    const z = alpha[n];
    if (z === -Infinity) continue;
    for (const [i, j, s, score] of edges) {
      const p = Math.exp(alpha[i] + score + beta[j] - z);
      if (p > 0) expected.set(s, (expected.get(s) ?? 0) + count * p);
    }
  }
  // Pieces expected less than half a time disappear (characters stay, so that text stays segmentable).
  const kept = [...expected.entries()].filter(([p, c]) => c >= 0.5 || chars.has(p));
  for (const ch of chars.keys()) if (!expected.has(ch)) kept.push([ch, 0.5]);
  const total = kept.reduce((a, [, c]) => a + Math.max(c, 0.5), 0);
  return new Map(kept.map(([p, c]) => [p, Math.log(Math.max(c, 0.5)) - Math.log(total)]));
}
