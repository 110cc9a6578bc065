import { OptionError } from '../../errors.js';
import { addedToken } from '../added-vocabulary.js';
import { ByteLevelDecoder, MetaspaceDecoder, WordPieceDecoder } from '../decoders.js';
import { BPE } from '../models/bpe.js';
import { Unigram } from '../models/unigram.js';
import { WordPiece } from '../models/wordpiece.js';
import { BertNormalizer } from '../normalizers/bert.js';
import { Replace, SequenceNormalizer, Strip, UnicodeNormalizer } from '../normalizers/simple.js';
import { PassThroughProcessing, type SpecialTokenSpec, TemplateProcessing, bertTemplate } from '../post-processors.js';
import { BertPreTokenizer } from '../pre-tokenizers/bert.js';
import { ByteLevel } from '../pre-tokenizers/byte-level.js';
import { Metaspace } from '../pre-tokenizers/metaspace.js';
import { PreTrainedTokenizer, type TokenizerConfig } from '../pretrained.js';
import { Tokenizer } from '../tokenizer.js';
import { BYTE_TO_CHAR } from '../unicode.js';
import { trainBpe } from './bpe-trainer.js';
import { trainUnigram } from './unigram-trainer.js';
import { countWords } from './word-counts.js';

export interface TrainTokenizerOptions {
  /** wordpiece: BERT-style (lowercased); bpe: GPT-2-style byte-level; unigram: T5-style SentencePiece. */
  type: 'wordpiece' | 'bpe' | 'unigram';
  /** Text files, read line by line (".gz" is decompressed on the fly); never loaded whole. */
  files: string[];
  /** Size of the vocabulary, special tokens included. */
  vocabSize?: number;
  /** BPE/WordPiece: pairs seen fewer times are not merged (default 2). */
  minFrequency?: number;
  /** First ids of the vocabulary; default [PAD] [UNK] [CLS] [SEP] [MASK] / <|endoftext|> / <pad> </s> <unk>. */
  specialTokens?: string[];
  /** WordPiece only: lowercase and strip accents (default true). */
  lowercase?: boolean;
}

const DEFAULT_SPECIALS = {
  wordpiece: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
  bpe: ['<|endoftext|>'],
  unigram: ['<pad>', '</s>', '<unk>'],
};

/**
 * Trains a tokenizer on text files, as Hugging Face's trainers do: the files are streamed through
 * the pipeline's normalizer and pre-tokenizer to count words, then the model is learned from the
 * counts. The result saves (savePretrained) as a normal tokenizer.json.
 */
export async function trainTokenizer(options: TrainTokenizerOptions): Promise<PreTrainedTokenizer> {
  const { type, files } = options;
  if (!['wordpiece', 'bpe', 'unigram'].includes(type)) throw new OptionError(`trainTokenizer: type must be wordpiece, bpe or unigram, not "${type}"`);
  if (!Array.isArray(files) || files.length === 0) throw new OptionError('trainTokenizer: files must list at least one text file');
  const specialTokens = options.specialTokens ?? DEFAULT_SPECIALS[type];
  const vocabSize = options.vocabSize ?? (type === 'unigram' ? 8000 : 30000);
  if (!Number.isInteger(vocabSize) || vocabSize <= specialTokens.length) {
    throw new OptionError(`trainTokenizer: vocabSize ${vocabSize} must be an integer above the ${specialTokens.length} special tokens`);
  }
  const minFrequency = options.minFrequency ?? 2;

  // A pipeline with a placeholder model counts the words; the trained model then replaces it.
  const pipeline = new Tokenizer(new WordPiece(new Map([['[UNK]', 0]])));
  configurePipeline(pipeline, type, options.lowercase ?? true);
  const counts = await countWords(files, pipeline);

  let tokenizer: Tokenizer;
  let config: TokenizerConfig;
  if (type === 'unigram') {
    const pieces = trainUnigram(counts, { pieceCount: vocabSize - specialTokens.length });
    const vocab: [string, number][] = [...specialTokens.map((t): [string, number] => [t, 0]), ...pieces.filter(([p]) => !specialTokens.includes(p))];
    const unk = specialTokens.includes('<unk>') ? specialTokens.indexOf('<unk>') : null;
    tokenizer = new Tokenizer(new Unigram(vocab, unk));
    config = { eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>', tokenizer_class: 'T5Tokenizer' };
  } else {
    const { vocab, merges } = trainBpe(counts, {
      vocabSize,
      minFrequency,
      specialTokens,
      initialAlphabet: type === 'bpe' ? BYTE_TO_CHAR : [],
      continuingSubwordPrefix: type === 'wordpiece' ? '##' : '',
    });
    if (type === 'bpe') {
      tokenizer = new Tokenizer(new BPE(vocab, merges));
      config = { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>', tokenizer_class: 'GPT2Tokenizer' };
    } else {
      tokenizer = new Tokenizer(new WordPiece(vocab, { unkToken: '[UNK]' }));
      config = { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]', tokenizer_class: 'BertTokenizer', do_lower_case: options.lowercase ?? true };
    }
  }
  configurePipeline(tokenizer, type, options.lowercase ?? true);
  for (const t of specialTokens) tokenizer.addedVocabulary.add(addedToken(tokenizer.tokenToId(t)!, t, true, { normalized: false }));
  for (const [name, token] of Object.entries(config)) if (name.endsWith('_token') && !specialTokens.includes(token as string)) delete config[name];
  addPostProcessor(tokenizer, type);
  return new PreTrainedTokenizer(tokenizer, { ...config, clean_up_tokenization_spaces: false });
}

function configurePipeline(tokenizer: Tokenizer, type: TrainTokenizerOptions['type'], lowercase: boolean): void {
  if (type === 'wordpiece') {
    tokenizer.setNormalizer(new BertNormalizer({ lowercase, stripAccents: null }));
    tokenizer.preTokenizer = new BertPreTokenizer();
    tokenizer.decoder = new WordPieceDecoder('##', true);
  } else if (type === 'bpe') {
    tokenizer.preTokenizer = new ByteLevel(false, true, true);
    tokenizer.decoder = new ByteLevelDecoder();
  } else {
    tokenizer.setNormalizer(new SequenceNormalizer([new UnicodeNormalizer('NFKC'), new Strip(false, true), new Replace({ Regex: ' {2,}' }, '\u2581')]));
    tokenizer.preTokenizer = new Metaspace('\u2581', 'always', true);
    tokenizer.decoder = new MetaspaceDecoder('\u2581', 'always', true);
  }
}

function addPostProcessor(tokenizer: Tokenizer, type: TrainTokenizerOptions['type']): void {
  const id = (t: string): number | undefined => tokenizer.tokenToId(t);
  if (type === 'wordpiece' && id('[CLS]') !== undefined && id('[SEP]') !== undefined) {
    tokenizer.postProcessor = bertTemplate(['[CLS]', id('[CLS]')!], ['[SEP]', id('[SEP]')!]);
  } else if (type === 'bpe') {
    tokenizer.postProcessor = new PassThroughProcessing({ type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true });
  } else if (type === 'unigram' && id('</s>') !== undefined) {
    const specials = new Map<string, SpecialTokenSpec>([['</s>', { id: '</s>', ids: [id('</s>')!], tokens: ['</s>'] }]]);
    tokenizer.postProcessor = new TemplateProcessing(TemplateProcessing.parseTemplate('$A:0 </s>:0'), TemplateProcessing.parseTemplate('$A:0 </s>:0 $B:0 </s>:0'), specials);
  }
}
