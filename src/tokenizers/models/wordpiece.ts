import { OptionError } from '../../errors.js';
import { type WordTokens, VocabularyModel, vocabInIdOrder, wordTokens } from './model.js';

export interface WordPieceOptions {
  unkToken?: string;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
}

/**
 * WordPiece: greedy longest-match-first from the left; pieces after the first carry the "##"
 * prefix. A word with a part that matches nothing, or longer than maxInputCharsPerWord
 * characters, becomes one unknown token.
 */
export class WordPiece extends VocabularyModel {
  readonly type = 'WordPiece';
  readonly unkToken: string;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;

  constructor(
    vocab: Map<string, number>,
    options: WordPieceOptions = {},
  ) {
    super(vocab);
    this.unkToken = options.unkToken ?? '[UNK]';
    this.prefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
  }

  protected tokenizeUncached(word: string): WordTokens {
    return this.split(word);
  }

  private unknown(word: string): WordTokens {
    const unk = this.vocab.get(this.unkToken);
    if (unk === undefined) throw new OptionError(`WordPiece: unk token ${JSON.stringify(this.unkToken)} is not in the vocabulary`);
    return wordTokens([unk], [0], [word.length]);
  }

  private split(word: string): WordTokens {
    if (word.length > this.maxInputCharsPerWord && [...word].length > this.maxInputCharsPerWord) return this.unknown(word);
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: number | undefined;
      while (start < end) {
        const piece = start > 0 ? this.prefix + word.slice(start, end) : word.slice(start, end);
        found = this.vocab.get(piece);
        if (found !== undefined) break;
        // Step back one whole character (never split a surrogate pair).
        const c = word.charCodeAt(end - 1);
        end -= c >= 0xdc00 && c <= 0xdfff && end - 2 >= start ? 2 : 1;
      }
      if (found === undefined) return this.unknown(word);
      ids.push(found);
      starts.push(start);
      ends.push(end);
      start = end;
    }
    return wordTokens(ids, starts, ends);
  }

  toJSON(): Record<string, unknown> {
    return {
      type: 'WordPiece',
      unk_token: this.unkToken,
      continuing_subword_prefix: this.prefix,
      max_input_chars_per_word: this.maxInputCharsPerWord,
      vocab: vocabInIdOrder(this.vocab),
    };
  }
}
