/** The tokens of one word: ids and [start, end) in UTF-16 units of the word. */
export interface WordTokens {
  readonly ids: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Third stage: turns one word into vocabulary ids. */
export interface Model {
  readonly type: 'WordPiece' | 'BPE' | 'Unigram';
  tokenizeWord(word: string): WordTokens;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** The string of token `i` of `tokens` for `word` (a fused unknown Unigram token is its surface text). */
  tokenString(word: string, tokens: WordTokens, i: number): string;
  /** Number of ids in the vocabulary (without added tokens). */
  readonly vocabSize: number;
  getVocab(): Map<string, number>;
  toJSON(): Record<string, unknown>;
}

/** A bounded word -> tokens cache: tokenizing the same word again is the common case in text. */
export class WordCache {
  private map = new Map<string, WordTokens>();

  constructor(
    private readonly capacity = 200_000,
    /** Words longer than this are not cached (they rarely repeat and would pin memory). */
    private readonly maxWordLength = 256,
  ) {}

  get(word: string): WordTokens | undefined {
    return this.map.get(word);
  }

  set(word: string, tokens: WordTokens): void {
    if (word.length > this.maxWordLength) return;
    if (this.map.size >= this.capacity) this.map.clear();
    this.map.set(word, tokens);
  }

  clear(): void {
    this.map.clear();
  }
}

/**
 * What WordPiece and BPE share: the token <-> id maps and the cache of tokenized words. A
 * subclass says how to tokenize a word it has not seen (tokenizeUncached).
 */
export abstract class VocabularyModel implements Model {
  abstract readonly type: Model['type'];
  protected readonly tokens: string[];
  private readonly cache = new WordCache();

  constructor(protected readonly vocab: Map<string, number>) {
    this.tokens = invertVocab(vocab);
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
    const result = this.tokenizeUncached(word);
    this.cache.set(word, result);
    return result;
  }

  protected abstract tokenizeUncached(word: string): WordTokens;

  abstract toJSON(): Record<string, unknown>;
}

export function wordTokens(ids: number[], starts: number[], ends: number[]): WordTokens {
  return { ids: Int32Array.from(ids), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** Inverts a token -> id map into an id-indexed array. */
export function invertVocab(vocab: Map<string, number>): string[] {
  const tokens: string[] = [];
  for (const [token, id] of vocab) tokens[id] = token;
  return tokens;
}

/** The vocabulary as a Map in id order (how tokenizer.json lists it). */
export function vocabInIdOrder(vocab: Map<string, number>): Map<string, number> {
  return new Map([...vocab].sort((a, b) => a[1] - b[1]));
}
