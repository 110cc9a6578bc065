import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../errors.js';
import { cleanupTokenizationSpaces } from './decoders.js';
import type { Encoding, TruncationOptions, TruncationStrategy } from './encoding.js';
import { tokenizerToJSON } from './serialization.js';
import { toTensor } from './tensors.js';
import type { PaddingOptions, Tokenizer } from './tokenizer.js';

/** tokenizer_config.json (+ special_tokens_map.json) as transformers writes them. */
export type TokenizerConfig = Record<string, unknown>;

export const SPECIAL_TOKEN_NAMES = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;
export type SpecialTokenName = (typeof SPECIAL_TOKEN_NAMES)[number];

/** transformers' "no limit" model_max_length. */
const VERY_LARGE = 1e30;

export interface CallOptions {
  /** Second texts of pairs (same count as the texts). */
  textPair?: string | string[];
  addSpecialTokens?: boolean;
  /** true / 'longest': pad to the longest of the batch; 'max_length': to maxLength (or modelMaxLength). */
  padding?: boolean | 'longest' | 'max_length' | 'do_not_pad';
  /** true = 'longest_first'; cut to maxLength (or modelMaxLength). */
  truncation?: boolean | TruncationStrategy | 'do_not_truncate';
  maxLength?: number;
  padToMultipleOf?: number;
  paddingSide?: 'left' | 'right';
  truncationSide?: 'left' | 'right';
  /** 'kotoba' (or 'pt') for int32 Tensors instead of plain arrays. */
  returnTensors?: string;
}

/** What call / encodeBatch return: one row per input (or flat arrays for a single string). */
export interface BatchEncoding<T = number[][]> {
  inputIds: T;
  attentionMask: T;
  tokenTypeIds: T;
  /** [start, end) UTF-16 offsets of every token into its text. */
  offsets: [number, number][][] | [number, number][];
  specialTokensMask: T;
  /** The full per-token encodings (word ids, sequence ids, tokens). */
  encodings: Encoding[];
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  /** transformers' string clean-up (" ." -> "."); default from tokenizer_config.json (false when absent). */
  cleanUpTokenizationSpaces?: boolean;
}

/**
 * The transformers-style face of a tokenizer: encode / call / decode with the special tokens
 * and limits of tokenizer_config.json. The pipeline itself is `backend` (a Tokenizer).
 */
export class PreTrainedTokenizer {
  modelMaxLength: number;
  paddingSide: 'left' | 'right';
  truncationSide: 'left' | 'right';
  cleanUpTokenizationSpaces: boolean;
  private readonly specials = new Map<SpecialTokenName, string>();
  additionalSpecialTokens: string[] = [];

  constructor(
    readonly backend: Tokenizer,
    readonly config: TokenizerConfig = {},
  ) {
    const max = config.model_max_length;
    this.modelMaxLength = typeof max === 'number' ? max : VERY_LARGE;
    this.paddingSide = config.padding_side === 'left' ? 'left' : 'right';
    this.truncationSide = config.truncation_side === 'left' ? 'left' : 'right';
    this.cleanUpTokenizationSpaces = config.clean_up_tokenization_spaces === true;
    for (const name of SPECIAL_TOKEN_NAMES) {
      const token = tokenContent(config[name]);
      if (token !== null) this.specials.set(name, token);
    }
    const extra = config.additional_special_tokens;
    if (Array.isArray(extra)) this.additionalSpecialTokens = extra.map(tokenContent).filter((t): t is string => t !== null);
    // Special tokens of the config are matched in text like the file's own added tokens.
    const missing = [...this.specials.values(), ...this.additionalSpecialTokens].filter((t) => backend.addedVocabulary.byContentOf(t) === undefined);
    if (missing.length) backend.addTokens([...new Set(missing)], true);
  }

  /** Number of ids of the base vocabulary (added tokens not counted), as transformers' vocab_size. */
  get vocabSize(): number {
    return this.backend.getVocabSize(false);
  }

  /** Number of ids including added tokens (transformers' len(tokenizer)). */
  get length(): number {
    return this.backend.getVocabSize(true);
  }

  getVocab(): Map<string, number> {
    return this.backend.getVocab(true);
  }

  private special(name: SpecialTokenName): string | null {
    return this.specials.get(name) ?? null;
  }

  private specialId(name: SpecialTokenName): number | null {
    const token = this.special(name);
    return token === null ? null : (this.backend.tokenToId(token) ?? null);
  }

  get bosToken(): string | null { return this.special('bos_token'); }
  get eosToken(): string | null { return this.special('eos_token'); }
  get unkToken(): string | null { return this.special('unk_token'); }
  get sepToken(): string | null { return this.special('sep_token'); }
  get padToken(): string | null { return this.special('pad_token'); }
  get clsToken(): string | null { return this.special('cls_token'); }
  get maskToken(): string | null { return this.special('mask_token'); }
  get bosTokenId(): number | null { return this.specialId('bos_token'); }
  get eosTokenId(): number | null { return this.specialId('eos_token'); }
  get unkTokenId(): number | null { return this.specialId('unk_token'); }
  get sepTokenId(): number | null { return this.specialId('sep_token'); }
  get padTokenId(): number | null { return this.specialId('pad_token'); }
  get clsTokenId(): number | null { return this.specialId('cls_token'); }
  get maskTokenId(): number | null { return this.specialId('mask_token'); }

  /** Every special token string (named ones, additional ones, and the file's special added tokens). */
  get allSpecialTokens(): string[] {
    const all = new Set([...this.specials.values(), ...this.additionalSpecialTokens]);
    for (const t of this.backend.addedVocabulary.all()) if (t.special) all.add(t.content);
    return [...all];
  }

  get allSpecialIds(): number[] {
    return this.allSpecialTokens.map((t) => this.backend.tokenToId(t)).filter((id): id is number => id !== undefined);
  }

  /** Sets or replaces named special tokens (e.g. { padToken: '<pad>' }); adds them to the vocabulary when new. */
  addSpecialTokens(tokens: Partial<Record<'bosToken' | 'eosToken' | 'unkToken' | 'sepToken' | 'padToken' | 'clsToken' | 'maskToken', string>> & { additionalSpecialTokens?: string[] }): number {
    const names: string[] = [];
    for (const [key, value] of Object.entries(tokens)) {
      if (key === 'additionalSpecialTokens') continue;
      const name = key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()) as SpecialTokenName;
      if (!SPECIAL_TOKEN_NAMES.includes(name) || typeof value !== 'string') throw new OptionError(`addSpecialTokens: unknown special token "${key}"`);
      this.specials.set(name, value);
      names.push(value);
    }
    for (const t of tokens.additionalSpecialTokens ?? []) if (!this.additionalSpecialTokens.includes(t)) this.additionalSpecialTokens.push(t);
    return this.backend.addTokens([...names, ...(tokens.additionalSpecialTokens ?? [])], true);
  }

  /** Adds ordinary (non-special) tokens matched in raw text; returns how many are new. */
  addTokens(tokens: string[]): number {
    return this.backend.addTokens(tokens, false);
  }

  /** Token strings of a text (no special tokens unless asked). */
  tokenize(text: string, options: { textPair?: string; addSpecialTokens?: boolean } = {}): string[] {
    return this.backend.encode(text, options.textPair ?? null, { addSpecialTokens: options.addSpecialTokens ?? false, truncation: null, padding: null }).tokens;
  }

  /** Ids of one text (or pair), with special tokens by default. */
  encode(text: string, options: Omit<CallOptions, 'textPair' | 'returnTensors'> & { textPair?: string } = {}): number[] {
    const plain = options.truncation === undefined && options.padding === undefined && options.maxLength === undefined && options.textPair === undefined;
    if (plain && !this.backend.truncation && !this.backend.padding) return this.backend.encodeIds(text, options.addSpecialTokens ?? true);
    return this.encodeBatch([options.textPair === undefined ? text : [text, options.textPair]], options).encodings[0].ids;
  }

  /** transformers' tokenizer(text | texts, options). A single string gives flat arrays. */
  call(texts: string | string[], options: CallOptions = {}): BatchEncoding<number[][] | number[]> {
    const single = typeof texts === 'string';
    const list = single ? [texts] : texts;
    const pairs = options.textPair === undefined ? undefined : typeof options.textPair === 'string' ? [options.textPair] : options.textPair;
    if (pairs !== undefined && pairs.length !== list.length) {
      throw new OptionError(`textPair has ${pairs.length} texts for ${list.length} texts`);
    }
    const batch = this.encodeBatch(
      list.map((t, i): string | [string, string] => (pairs === undefined ? t : [t, pairs[i]])),
      options,
    );
    if (!single || options.returnTensors !== undefined) return batch;
    return {
      inputIds: batch.inputIds[0],
      attentionMask: batch.attentionMask[0],
      tokenTypeIds: batch.tokenTypeIds[0],
      offsets: batch.offsets[0] as [number, number][],
      specialTokensMask: batch.specialTokensMask[0],
      encodings: batch.encodings,
    };
  }

  /** Encodes texts or [text, pair] items together (padding applies across the batch). */
  encodeBatch(inputs: (string | [string, string])[], options: CallOptions = {}): BatchEncoding {
    const encodings = this.backend.encodeBatch(inputs, {
      addSpecialTokens: options.addSpecialTokens ?? true,
      truncation: this.truncationOptions(options),
      padding: this.paddingOptions(options),
    });
    const rows = <K extends 'ids' | 'attentionMask' | 'typeIds' | 'specialTokensMask'>(key: K): number[][] => encodings.map((e) => e[key]);
    const result: BatchEncoding = {
      inputIds: rows('ids'),
      attentionMask: rows('attentionMask'),
      tokenTypeIds: rows('typeIds'),
      offsets: encodings.map((e) => e.offsets),
      specialTokensMask: rows('specialTokensMask'),
      encodings,
    };
    if (options.returnTensors !== undefined) {
      const kind = options.returnTensors;
      for (const key of ['inputIds', 'attentionMask', 'tokenTypeIds', 'specialTokensMask'] as const) {
        (result as unknown as Record<string, unknown>)[key] = toTensor(kind, result[key]);
      }
    }
    return result;
  }

  private truncationOptions(options: CallOptions): TruncationOptions | null {
    // As transformers: a maxLength without truncation or padding means truncation.
    const noPadding = options.padding === undefined || options.padding === false || options.padding === 'do_not_pad';
    const t = options.truncation ?? (options.maxLength !== undefined && noPadding);
    if (t === false || t === 'do_not_truncate') return null;
    const maxLength = options.maxLength ?? this.modelMaxLength;
    if (maxLength >= VERY_LARGE) return null;
    const strategy: TruncationStrategy = t === true ? 'longest_first' : t;
    if (!['longest_first', 'only_first', 'only_second'].includes(strategy)) throw new OptionError(`truncation: unknown strategy "${strategy}"`);
    return { maxLength, strategy, direction: options.truncationSide ?? this.truncationSide };
  }

  private paddingOptions(options: CallOptions): PaddingOptions | null {
    const p = options.padding ?? false;
    if (p === false || p === 'do_not_pad') return null;
    const padToken = this.padToken;
    const padId = this.padTokenId;
    if (padToken === null || padId === null) {
      throw new OptionError('padding needs a pad token: this tokenizer has none (set one with addSpecialTokens({ padToken: ... }))');
    }
    const fixed = p === 'max_length';
    const length = options.maxLength ?? this.modelMaxLength;
    if (fixed && length >= VERY_LARGE) throw new OptionError("padding: 'max_length' needs maxLength (the tokenizer has no model_max_length)");
    return {
      strategy: fixed ? 'max_length' : 'longest',
      length: fixed ? length : undefined,
      padToMultipleOf: options.padToMultipleOf,
      direction: options.paddingSide ?? this.paddingSide,
      padId,
      padToken,
      padTypeId: 0,
    };
  }

  decode(ids: ArrayLike<number> | number, options: DecodeOptions = {}): string {
    const list = typeof ids === 'number' ? [ids] : ids;
    const text = this.backend.decode(list, options.skipSpecialTokens ?? false);
    return options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces ? cleanupTokenizationSpaces(text) : text;
  }

  batchDecode(batch: ArrayLike<number>[], options: DecodeOptions = {}): string[] {
    return Array.from(batch, (ids) => this.decode(ids, options));
  }

  convertIdsToTokens(ids: number): string | null;
  convertIdsToTokens(ids: number[], skipSpecialTokens?: boolean): (string | null)[];
  convertIdsToTokens(ids: number | number[], skipSpecialTokens = false): string | null | (string | null)[] {
    if (typeof ids === 'number') return this.backend.idToToken(ids) ?? null;
    const special = skipSpecialTokens ? new Set(this.allSpecialIds) : null;
    return ids.filter((id) => !special?.has(id)).map((id) => this.backend.idToToken(id) ?? null);
  }

  convertTokensToIds(tokens: string): number | null;
  convertTokensToIds(tokens: string[]): (number | null)[];
  convertTokensToIds(tokens: string | string[]): number | null | (number | null)[] {
    const one = (t: string): number | null => this.backend.tokenToId(t) ?? this.unkTokenId;
    return typeof tokens === 'string' ? one(tokens) : tokens.map(one);
  }

  /** Joins token strings back into text with the decoder. */
  convertTokensToString(tokens: string[]): string {
    return this.backend.decoder === null ? tokens.join(' ') : this.backend.decoder.decodeChain(tokens).join('');
  }

  /** The tokenizer_config.json to write next to tokenizer.json. */
  toConfig(): TokenizerConfig {
    const config: TokenizerConfig = { ...this.config };
    for (const [name, token] of this.specials) config[name] = token;
    if (this.additionalSpecialTokens.length) config.additional_special_tokens = this.additionalSpecialTokens;
    config.model_max_length = this.modelMaxLength;
    config.clean_up_tokenization_spaces = this.cleanUpTokenizationSpaces;
    config.padding_side = this.paddingSide;
    config.truncation_side = this.truncationSide;
    return config;
  }

  /** Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json (each via a temporary name). */
  savePretrained(folder: string): string[] {
    mkdirSync(folder, { recursive: true });
    const specialMap: Record<string, unknown> = Object.fromEntries(this.specials);
    if (this.additionalSpecialTokens.length) specialMap.additional_special_tokens = this.additionalSpecialTokens;
    const files: [string, string][] = [
      ['tokenizer.json', tokenizerToJSON(this.backend)],
      ['tokenizer_config.json', JSON.stringify(this.toConfig(), null, 2)],
      ['special_tokens_map.json', JSON.stringify(specialMap, null, 2)],
    ];
    return files.map(([name, text]) => {
      const path = join(folder, name);
      writeFileSync(path + '.tmp', text + '\n');
      renameSync(path + '.tmp', path);
      return path;
    });
  }
}

/** A special token in a config: a string, or an AddedToken object with "content". */
function tokenContent(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return null;
}

