/** The input as the tokenizer splits it: ids, vocabulary pieces, decoded text, special marks, offsets. */
import { OptionError } from '../errors.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import type { TokenInfo } from './types.js';

export interface TokenizedInput {
  tokens: TokenInfo[];
  truncated: boolean;
}

function info(tokenizer: PreTrainedTokenizer, special: Set<number>, id: number, addedBySpecialMask: boolean, offset: [number, number] | null): TokenInfo {
  return {
    id,
    piece: tokenizer.convertIdsToTokens(id) ?? '',
    text: tokenizer.decode([id]),
    special: addedBySpecialMask || special.has(id),
    offset,
  };
}

/** Tokenizes `text` with the model's special tokens, cut to `maxLength` tokens. */
export function tokenizeText(tokenizer: PreTrainedTokenizer, text: string, maxLength: number): TokenizedInput {
  const full = tokenizer.call(text, { addSpecialTokens: true }).encodings[0];
  const truncated = full.length > maxLength;
  const encoding = truncated ? tokenizer.call(text, { addSpecialTokens: true, truncation: true, maxLength }).encodings[0] : full;
  if (encoding.length === 0) throw new OptionError('the text gives no tokens: type some text');
  const special = new Set(tokenizer.allSpecialIds);
  const tokens = encoding.ids.map((id, i) => {
    // offsets of added special tokens are [0, 0]: they have no place in the text
    const isAdded = encoding.specialTokensMask[i] === 1;
    return info(tokenizer, special, id, isAdded, isAdded ? null : encoding.offsets[i]);
  });
  return { tokens, truncated };
}

/** Token infos of ids given directly (generation steps, T5's decoder sequence). */
export function tokensFromIds(tokenizer: PreTrainedTokenizer, ids: readonly number[], vocabSize: number): TokenInfo[] {
  const special = new Set(tokenizer.allSpecialIds);
  return ids.map((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new OptionError(`token id ${id} at position ${i} is outside the model's vocabulary (0..${vocabSize - 1})`);
    }
    return info(tokenizer, special, id, false, null);
  });
}
