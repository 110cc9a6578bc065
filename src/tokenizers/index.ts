// Public surface of the tokenizers.
export { Tokenizer, type EncodeInput, type PaddingOptions } from './tokenizer.js';
export { Encoding, type TruncationOptions, type TruncationStrategy } from './encoding.js';
export { tokenizerFromJSON, tokenizerToJSON } from './serialization.js';
export { type AddedToken } from './added-vocabulary.js';
