import { OptionError } from '../errors.js';
import { AddedVocabulary, type AddedToken } from './added-vocabulary.js';
import type { Decoder } from './decoders.js';
import { Encoding, type TruncationOptions, truncatePair } from './encoding.js';
import type { Model } from './models/model.js';
import { NormalizedString } from './normalized-string.js';
import type { Normalizer } from './normalizers/normalizer.js';
import { PassThroughProcessing, type PostProcessor } from './post-processors.js';
import type { PreTokenizer } from './pre-tokenizers/pre-tokenizer.js';
import { wellFormed } from './unicode.js';

export interface PaddingOptions {
  /** 'longest': to the longest item of the batch; 'max_length': to `length`. */
  strategy: 'longest' | 'max_length';
  length?: number;
  padToMultipleOf?: number;
  direction?: 'right' | 'left';
  padId?: number;
  padToken?: string;
  padTypeId?: number;
}

export interface EncodeOptions {
  /** Add the post-processor's special tokens ([CLS] .. [SEP], </s>); default true. */
  addSpecialTokens?: boolean;
  /** Overrides the tokenizer's truncation for this call (null: none). */
  truncation?: TruncationOptions | null;
  /** Overrides the tokenizer's padding for this call (null: none). */
  padding?: PaddingOptions | null;
}

/** A text, or a [text, textPair] pair. */
export type EncodeInput = string | [string, string];

/**
 * The tokenization pipeline of Hugging Face tokenizers: added tokens are cut out of the raw text,
 * the rest goes through normalizer -> pre-tokenizer -> model, then truncation, the
 * post-processor's special tokens, and padding. decode() runs the decoder.
 */
export class Tokenizer {
  private stages: { normalizer: Normalizer | null; preTokenizer: PreTokenizer | null } = { normalizer: null, preTokenizer: null };
  postProcessor: PostProcessor | null = null;
  decoder: Decoder | null = null;
  truncation: TruncationOptions | null = null;
  padding: PaddingOptions | null = null;
  readonly addedVocabulary = new AddedVocabulary(null);

  constructor(readonly model: Model) {}

  get normalizer(): Normalizer | null {
    return this.stages.normalizer;
  }

  /** Also re-derives how normalized added tokens are matched, and forgets cached words. */
  set normalizer(normalizer: Normalizer | null) {
    this.stages.normalizer = normalizer;
    this.addedVocabulary.setNormalizer(normalizer);
    this.idsCache.clear();
  }

  get preTokenizer(): PreTokenizer | null {
    return this.stages.preTokenizer;
  }

  set preTokenizer(preTokenizer: PreTokenizer | null) {
    this.stages.preTokenizer = preTokenizer;
    this.idsCache.clear();
  }

  setNormalizer(normalizer: Normalizer | null): void {
    this.normalizer = normalizer;
  }

  /** Adds tokens matched in raw text; returns how many got new ids. */
  addTokens(tokens: (string | Partial<AddedToken> & { content: string })[], special = false): number {
    let added = 0;
    for (const t of tokens) {
      const spec = typeof t === 'string' ? { content: t } : t;
      const existing = this.addedVocabulary.byContentOf(spec.content);
      let id = existing?.id ?? this.model.tokenToId(spec.content);
      if (id === undefined) {
        id = this.getVocabSize(true);
        added++;
      }
      const isSpecial = spec.special ?? special;
      this.addedVocabulary.add({
        id,
        content: spec.content,
        singleWord: spec.singleWord ?? false,
        lstrip: spec.lstrip ?? false,
        rstrip: spec.rstrip ?? false,
        normalized: spec.normalized ?? !isSpecial,
        special: isSpecial,
      });
    }
    return added;
  }

  /** Encodes a text or a pair into an Encoding with every per-token field. */
  encode(text: string, pair: string | null = null, options: EncodeOptions = {}): Encoding {
    const addSpecialTokens = options.addSpecialTokens ?? true;
    const truncation = options.truncation === undefined ? this.truncation : options.truncation;
    const padding = options.padding === undefined ? this.padding : options.padding;
    const a = this.encodeSequence(text, 0);
    const b = pair === null ? null : this.encodeSequence(pair, 1);
    const processor = this.postProcessor ?? new PassThroughProcessing();
    if (truncation) {
      const reserved = addSpecialTokens ? processor.addedTokens(b !== null) : 0;
      if (truncation.maxLength < reserved) {
        throw new OptionError(`truncation max length ${truncation.maxLength} leaves no room for the ${reserved} special tokens`);
      }
      const before = [a.wordIds, b?.wordIds ?? []];
      truncatePair(a, b, { ...truncation, maxLength: truncation.maxLength - reserved });
      if (truncation.direction === 'left') {
        renumberLeftTruncatedWords(a, before[0], truncation.maxLength);
        if (b) renumberLeftTruncatedWords(b, before[1], truncation.maxLength);
      }
    }
    const encoding = processor.process(a, b, addSpecialTokens);
    if (padding) this.pad([encoding], padding);
    return encoding;
  }

  /** Encodes several inputs; padding ('longest') then pads them all to the longest. */
  encodeBatch(inputs: EncodeInput[], options: EncodeOptions = {}): Encoding[] {
    const padding = options.padding === undefined ? this.padding : options.padding;
    const single = { ...options, padding: null };
    const encodings = inputs.map((input) =>
      typeof input === 'string' ? this.encode(input, null, single) : this.encode(input[0], input[1], single),
    );
    if (padding) this.pad(encodings, padding);
    return encodings;
  }

  /** Pads every encoding to the same length (the longest, or a fixed one), rounded up to a multiple. */
  pad(encodings: Encoding[], options: PaddingOptions): void {
    let length = options.strategy === 'max_length' ? (options.length ?? 0) : Math.max(0, ...encodings.map((e) => e.length));
    const multiple = options.padToMultipleOf ?? 0;
    if (multiple > 0 && length % multiple !== 0) length += multiple - (length % multiple);
    const padToken = options.padToken ?? '[PAD]';
    const padId = options.padId ?? this.tokenToId(padToken) ?? 0;
    for (const e of encodings) {
      e.pad(length, { padId, padToken, padTypeId: options.padTypeId ?? 0, direction: options.direction ?? 'right' });
    }
  }

  /**
   * Token ids only: the fast path. Same ids as encode(), but text goes through the string-only
   * variants of the stages (no alignments, offsets, token strings or word ids), and words are
   * looked up in a cache before the pre-tokenizer's per-word rewrite.
   */
  encodeIds(text: string, addSpecialTokens = true): number[] {
    const ids: number[] = [];
    this.walkWords(text, (words) => this.wordsToIds(words, ids), (token) => ids.push(token.id));
    if (!addSpecialTokens || this.postProcessor === null || this.postProcessor.addedTokens(false) === 0) return ids;
    const a = new Encoding();
    a.ids = ids;
    a.tokens = a.offsets = a.wordIds = a.sequenceIds = a.typeIds = a.attentionMask = a.specialTokensMask = new Array(ids.length);
    return this.postProcessor.process(a, null, true).ids;
  }

  /** The words of `text` exactly as the model receives them (added tokens left out); for trainers. */
  modelWords(text: string, emit: (words: string[]) => void): void {
    const pre = this.preTokenizer;
    const rewrite = pre?.rewriteWord;
    this.walkWords(text, rewrite ? (words) => emit(words.map((w) => rewrite.call(pre, w))) : emit, () => {});
  }

  /** The fast path's walk: raw words (before rewriteWord) in batches, and added tokens, in order. */
  private walkWords(text: string, onWords: (words: string[]) => void, onAdded: (token: AddedToken) => void): void {
    text = wellFormed(text);
    for (const segment of this.addedVocabulary.splitRaw(text)) {
      if (segment.token !== null) {
        onAdded(segment.token);
        continue;
      }
      const raw = segment.start === 0 && segment.end === text.length ? text : text.slice(segment.start, segment.end);
      const normalized = this.normalizer ? this.normalizer.normalizeString(raw) : raw;
      for (const inner of this.addedVocabulary.splitNormalized(normalized)) {
        if (inner.token !== null) {
          onAdded(inner.token);
          continue;
        }
        const piece = inner.start === 0 && inner.end === normalized.length ? normalized : normalized.slice(inner.start, inner.end);
        if (piece.length === 0) continue;
        if (this.preTokenizer === null) onWords([piece]);
        else this.preTokenizer.splitWords(piece, onWords, segment.start === 0 && inner.start === 0);
      }
    }
  }

  /** Raw word -> ids of the fast path (bounded: cleared when full). */
  private readonly idsCache = new Map<string, Int32Array>();

  private wordsToIds(words: string[], ids: number[]): void {
    const cache = this.idsCache;
    const pre = this.preTokenizer;
    for (const word of words) {
      let wordIds = cache.get(word);
      if (wordIds === undefined) {
        wordIds = this.model.tokenizeWord(pre?.rewriteWord ? pre.rewriteWord(word) : word).ids;
        if (word.length <= 256) {
          if (cache.size >= 500_000) cache.clear();
          cache.set(word, wordIds);
        }
      }
      for (let i = 0; i < wordIds.length; i++) ids.push(wordIds[i]);
    }
  }

  /** One text to an Encoding without special tokens. */
  private encodeSequence(text: string, sequence: 0 | 1): Encoding {
    const out = new Encoding();
    let word = 0;
    this.run(
      text,
      (w) => {
        const tokens = this.model.tokenizeWord(w.text);
        for (let i = 0; i < tokens.ids.length; i++) {
          const offsets = w.originalRange(tokens.starts[i], tokens.ends[i]);
          out.push(tokens.ids[i], this.model.tokenString(w.text, tokens, i), offsets, word, sequence, sequence, 0);
        }
        word++;
      },
      (token, start, end, matched) => {
        out.push(token.id, matched, [start, end], word++, sequence, sequence, 0);
      },
    );
    return out;
  }

  /**
   * Walks the text: added tokens go to `onAdded` with their original range and the text they
   * matched (whitespace swallowed by lstrip/rstrip included), the other stretches
   * are normalized, split on normalized added tokens, pre-tokenized, and go to `onWord`.
   */
  private run(text: string, onWord: (word: NormalizedString) => void, onAdded: (token: AddedToken, start: number, end: number, matched: string) => void): void {
    text = wellFormed(text);
    for (const segment of this.addedVocabulary.splitRaw(text)) {
      if (segment.token !== null) {
        onAdded(segment.token, segment.start, segment.end, text.slice(segment.start, segment.end));
        continue;
      }
      let normalized = NormalizedString.identity(segment.start === 0 && segment.end === text.length ? text : text.slice(segment.start, segment.end), segment.start);
      if (this.normalizer) normalized = this.normalizer.normalize(normalized);
      for (const inner of this.addedVocabulary.splitNormalized(normalized.text)) {
        if (inner.token !== null) {
          const [start, end] = normalized.originalRange(inner.start, inner.end);
          onAdded(inner.token, start, end, normalized.text.slice(inner.start, inner.end));
          continue;
        }
        const piece = inner.start === 0 && inner.end === normalized.length ? normalized : normalized.slice(inner.start, inner.end);
        if (piece.length === 0) continue;
        if (this.preTokenizer === null) onWord(piece);
        else for (const word of this.preTokenizer.preTokenize(piece, segment.start === 0 && inner.start === 0)) onWord(word);
      }
    }
  }

  /** Token strings of ids (added tokens included), optionally without special ones. */
  idsToTokens(ids: ArrayLike<number>, skipSpecialTokens = false): string[] {
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const added = this.addedVocabulary.byIdOf(id);
      if (added !== undefined) {
        if (!(skipSpecialTokens && added.special)) tokens.push(this.addedVocabulary.tokenString(added));
        continue;
      }
      const token = this.model.idToToken(id);
      if (token !== undefined) tokens.push(token);
    }
    return tokens;
  }

  decode(ids: ArrayLike<number>, skipSpecialTokens = false): string {
    const tokens = this.idsToTokens(ids, skipSpecialTokens);
    return this.decoder === null ? tokens.join(' ') : this.decoder.decodeChain(tokens).join('');
  }

  idToToken(id: number): string | undefined {
    const added = this.addedVocabulary.byIdOf(id);
    return added ? this.addedVocabulary.tokenString(added) : this.model.idToToken(id);
  }

  tokenToId(token: string): number | undefined {
    return this.addedVocabulary.byContentOf(token)?.id ?? this.model.tokenToId(token);
  }

  /** token -> id, with added tokens unless told otherwise. */
  getVocab(withAddedTokens = true): Map<string, number> {
    const vocab = new Map(this.model.getVocab());
    if (withAddedTokens) for (const t of this.addedVocabulary.all()) vocab.set(this.addedVocabulary.tokenString(t), t.id);
    return vocab;
  }

  getVocabSize(withAddedTokens = true): number {
    if (!withAddedTokens) return this.model.vocabSize;
    let size = this.model.vocabSize;
    for (const t of this.addedVocabulary.all()) if (this.model.idToToken(t.id) === undefined) size = Math.max(size, t.id + 1);
    return size;
  }
}

/**
 * Reproduces how tokenizers 0.23 reports word ids after truncating on the left: they are shifted
 * down by the word id of token (original length - max length), where max length is the full one
 * (special tokens included). Found by probing the reference; ids, tokens and offsets are unaffected.
 */
function renumberLeftTruncatedWords(encoding: Encoding, wordsBefore: (number | null)[], maxLength: number): void {
  if (encoding.wordIds === wordsBefore) return; // not truncated
  const index = wordsBefore.length - maxLength;
  const shift = index > 0 ? (wordsBefore[index] ?? 0) : 0;
  if (shift > 0) encoding.wordIds = encoding.wordIds.map((w) => (w === null ? null : w - shift));
}
