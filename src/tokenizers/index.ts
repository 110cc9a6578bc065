// Public surface of the tokenizers: text <-> ids, compatible with Hugging Face tokenizers.
export { AutoTokenizer, loadTokenizerFile } from './auto.js';
export {
  PreTrainedTokenizer,
  type BatchEncoding,
  type CallOptions,
  type DecodeOptions,
  type TokenizerConfig,
} from './pretrained.js';
export { cleanupTokenizationSpaces } from './decoders.js';
export { Tokenizer, type EncodeInput, type EncodeOptions, type PaddingOptions } from './tokenizer.js';
export { Encoding, type TruncationOptions, type TruncationStrategy } from './encoding.js';
export { tokenizerFromJSON, tokenizerToJSON } from './serialization.js';
export { bertFromVocab, gpt2FromFiles, parseMerges, parseVocabTxt, t5FromSentencePiece } from './classic.js';
export { readSentencePieceModel, type SentencePieceModel } from './sentencepiece-model.js';
export { type AddedToken } from './added-vocabulary.js';
export { trainTokenizer, type TrainTokenizerOptions } from './train/train-tokenizer.js';
