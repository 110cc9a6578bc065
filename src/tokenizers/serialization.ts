import { FileFormatError } from '../errors.js';
import { type AddedToken } from './added-vocabulary.js';
import {
  BPEDecoder,
  ByteFallbackDecoder,
  ByteLevelDecoder,
  type Decoder,
  FuseDecoder,
  MetaspaceDecoder,
  ReplaceDecoder,
  SequenceDecoder,
  StripDecoder,
  WordPieceDecoder,
} from './decoders.js';
import { JsonReader } from './json-reader.js';
import { BPE } from './models/bpe.js';
import type { Model } from './models/model.js';
import { Unigram } from './models/unigram.js';
import { WordPiece } from './models/wordpiece.js';
import { BertNormalizer } from './normalizers/bert.js';
import type { Normalizer } from './normalizers/normalizer.js';
import { Precompiled } from './normalizers/precompiled.js';
import { Lowercase, Prepend, Replace, type ReplacePattern, SequenceNormalizer, Strip, StripAccents, UnicodeNormalizer } from './normalizers/simple.js';
import {
  PassThroughProcessing,
  type PostProcessor,
  SequenceProcessing,
  type SpecialTokenSpec,
  TemplateProcessing,
  type TemplatePiece,
  bertTemplate,
} from './post-processors.js';
import { BertPreTokenizer, Punctuation, Whitespace, WhitespaceSplit } from './pre-tokenizers/bert.js';
import { ByteLevel } from './pre-tokenizers/byte-level.js';
import { Metaspace, type PrependScheme } from './pre-tokenizers/metaspace.js';
import type { PreTokenizer } from './pre-tokenizers/pre-tokenizer.js';
import { SequencePreTokenizer } from './pre-tokenizers/sequence.js';
import { Tokenizer } from './tokenizer.js';

/** Builds a Tokenizer from the text of a tokenizer.json (Hugging Face tokenizers' format). */
export function tokenizerFromJSON(text: string, file = 'tokenizer.json'): Tokenizer {
  const json = JsonReader.parse(file, text);
  json.object();
  const tokenizer = new Tokenizer(readModel(json.get('model')));
  tokenizer.setNormalizer(json.get('normalizer').isNull ? null : readNormalizer(json.get('normalizer')));
  tokenizer.preTokenizer = json.get('pre_tokenizer').isNull ? null : readPreTokenizer(json.get('pre_tokenizer'));
  tokenizer.postProcessor = json.get('post_processor').isNull ? null : readPostProcessor(json.get('post_processor'));
  tokenizer.decoder = json.get('decoder').isNull ? null : readDecoder(json.get('decoder'));
  if (!json.get('added_tokens').isNull) {
    for (const t of json.get('added_tokens').items()) tokenizer.addedVocabulary.add(readAddedToken(t));
  }
  const truncation = json.get('truncation');
  if (!truncation.isNull) {
    tokenizer.truncation = {
      maxLength: truncation.get('max_length').integer(),
      strategy: (truncation.get('strategy').string('LongestFirst') === 'OnlyFirst'
        ? 'only_first'
        : truncation.get('strategy').string('LongestFirst') === 'OnlySecond'
          ? 'only_second'
          : 'longest_first'),
      direction: truncation.get('direction').string('Right') === 'Left' ? 'left' : 'right',
    };
  }
  const padding = json.get('padding');
  if (!padding.isNull) {
    const strategy = padding.get('strategy').value;
    const fixed = typeof strategy === 'object' && strategy !== null && 'Fixed' in strategy ? Number((strategy as { Fixed: number }).Fixed) : null;
    tokenizer.padding = {
      strategy: fixed === null ? 'longest' : 'max_length',
      length: fixed ?? undefined,
      direction: padding.get('direction').string('Right') === 'Left' ? 'left' : 'right',
      padToMultipleOf: padding.get('pad_to_multiple_of').isNull ? undefined : padding.get('pad_to_multiple_of').integer(),
      padId: padding.get('pad_id').integer(0),
      padTypeId: padding.get('pad_type_id').integer(0),
      padToken: padding.get('pad_token').string('[PAD]'),
    };
  }
  return tokenizer;
}

function readAddedToken(t: JsonReader): AddedToken {
  return {
    id: t.get('id').integer(),
    content: t.get('content').string(),
    singleWord: t.get('single_word').boolean(false),
    lstrip: t.get('lstrip').boolean(false),
    rstrip: t.get('rstrip').boolean(false),
    normalized: t.get('normalized').boolean(!t.get('special').boolean(false)),
    special: t.get('special').boolean(false),
  };
}

function readModel(m: JsonReader): Model {
  const type = m.get('type').isNull ? guessModelType(m) : m.get('type').string();
  switch (type) {
    case 'WordPiece':
      return new WordPiece(m.get('vocab').vocab(), {
        unkToken: m.get('unk_token').string('[UNK]'),
        continuingSubwordPrefix: m.get('continuing_subword_prefix').string('##'),
        maxInputCharsPerWord: m.get('max_input_chars_per_word').integer(100),
      });
    case 'BPE': {
      const vocab = m.get('vocab').vocab();
      const merges = m.get('merges').items().map((item, i): [string, string] => {
        if (typeof item.value === 'string') {
          const space = item.value.indexOf(' ');
          if (space <= 0 || space === item.value.length - 1) item.fail(`must be "left right" (merge ${i}: ${JSON.stringify(item.value)})`);
          return [item.value.slice(0, space), item.value.slice(space + 1)];
        }
        const pair = item.array();
        if (pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') item.fail('must be a pair of token strings');
        return [pair[0] as string, pair[1] as string];
      });
      try {
        return new BPE(vocab, merges, {
          unkToken: m.get('unk_token').optionalString(),
          continuingSubwordPrefix: m.get('continuing_subword_prefix').optionalString() ?? '',
          endOfWordSuffix: m.get('end_of_word_suffix').optionalString() ?? '',
          fuseUnk: m.get('fuse_unk').boolean(false),
          byteFallback: m.get('byte_fallback').boolean(false),
          ignoreMerges: m.get('ignore_merges').boolean(false),
          dropout: m.get('dropout').isNull ? null : m.get('dropout').number(),
        });
      } catch (e) {
        if (e instanceof FileFormatError) throw new FileFormatError(`${m.file}: model.merges: ${e.message}`);
        throw e;
      }
    }
    case 'Unigram': {
      const pieces = m.get('vocab').items().map((item): [string, number] => {
        const [piece, score] = item.array();
        if (typeof piece !== 'string' || typeof score !== 'number') item.fail('must be a [piece, score] pair');
        return [piece as string, score as number];
      });
      try {
        return new Unigram(pieces, m.get('unk_id').isNull ? null : m.get('unk_id').integer(), m.get('byte_fallback').boolean(false));
      } catch (e) {
        if (e instanceof FileFormatError) throw new FileFormatError(`${m.file}: model: ${e.message}`);
        throw e;
      }
    }
    default:
      return m.get('type').fail(`"${type}" is not a supported model (WordPiece, BPE, Unigram)`);
  }
}

function guessModelType(m: JsonReader): string {
  if (m.has('merges')) return 'BPE';
  if (m.has('unk_id') || Array.isArray(m.get('vocab').value)) return 'Unigram';
  if (m.has('max_input_chars_per_word')) return 'WordPiece';
  return m.fail('has no "type" and does not look like WordPiece, BPE or Unigram');
}

function readPattern(p: JsonReader): ReplacePattern {
  if (p.has('String')) return { String: p.get('String').string() };
  if (p.has('Regex')) return { Regex: p.get('Regex').string() };
  return p.fail('must be {"String": ...} or {"Regex": ...}');
}

function readNormalizer(n: JsonReader): Normalizer {
  const type = n.get('type').string();
  switch (type) {
    case 'BertNormalizer':
      return new BertNormalizer({
        cleanText: n.get('clean_text').boolean(true),
        handleChineseChars: n.get('handle_chinese_chars').boolean(true),
        stripAccents: n.get('strip_accents').isNull ? null : n.get('strip_accents').boolean(),
        lowercase: n.get('lowercase').boolean(true),
      });
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return new UnicodeNormalizer(type);
    case 'Lowercase':
      return new Lowercase();
    case 'StripAccents':
      return new StripAccents();
    case 'Strip':
      return new Strip(n.get('strip_left').boolean(false), n.get('strip_right').boolean(false));
    case 'Prepend':
      return new Prepend(n.get('prepend').string());
    case 'Replace':
      return new Replace(readPattern(n.get('pattern')), n.get('content').string());
    case 'Precompiled':
      try {
        return new Precompiled(n.get('precompiled_charsmap').string());
      } catch (e) {
        if (e instanceof FileFormatError) throw new FileFormatError(`${n.file}: ${n.path}: ${e.message}`);
        throw e;
      }
    case 'Sequence':
      return new SequenceNormalizer(n.get('normalizers').items().map(readNormalizer));
    default:
      return n.get('type').fail(`"${type}" is not a supported normalizer`);
  }
}

function readPrependScheme(p: JsonReader): PrependScheme {
  if (!p.get('prepend_scheme').isNull) {
    const scheme = p.get('prepend_scheme').string();
    if (scheme === 'always' || scheme === 'first' || scheme === 'never') return scheme;
    return p.get('prepend_scheme').fail('must be "always", "first" or "never"');
  }
  // Files written before prepend_scheme existed say add_prefix_space.
  return p.get('add_prefix_space').boolean(true) ? 'always' : 'never';
}

function readPreTokenizer(p: JsonReader): PreTokenizer {
  const type = p.get('type').string();
  switch (type) {
    case 'BertPreTokenizer':
      return new BertPreTokenizer();
    case 'ByteLevel':
      return new ByteLevel(p.get('add_prefix_space').boolean(false), p.get('use_regex').boolean(true), p.get('trim_offsets').boolean(true));
    case 'Metaspace':
      return new Metaspace(p.get('replacement').string('\u2581'), readPrependScheme(p), p.get('split').boolean(true));
    case 'Whitespace':
      return new Whitespace();
    case 'WhitespaceSplit':
      return new WhitespaceSplit();
    case 'Punctuation':
      return new Punctuation();
    case 'Sequence':
      return new SequencePreTokenizer(p.get('pretokenizers').items().map(readPreTokenizer));
    default:
      return p.get('type').fail(`"${type}" is not a supported pre-tokenizer`);
  }
}

function readTemplate(t: JsonReader): TemplatePiece[] {
  return t.items().map((piece): TemplatePiece => {
    if (piece.has('Sequence')) {
      const s = piece.get('Sequence');
      return { kind: 'sequence', sequence: s.get('id').string() === 'B' ? 1 : 0, typeId: s.get('type_id').integer(0) };
    }
    if (piece.has('SpecialToken')) {
      const s = piece.get('SpecialToken');
      return { kind: 'special', name: s.get('id').string(), typeId: s.get('type_id').integer(0) };
    }
    return piece.fail('must be {"Sequence": ...} or {"SpecialToken": ...}');
  });
}

function readTokenAndId(t: JsonReader): [string, number] {
  const [token, id] = t.array();
  if (typeof token !== 'string' || typeof id !== 'number') t.fail('must be a [token, id] pair');
  return [token as string, id as number];
}

function readPostProcessor(p: JsonReader): PostProcessor {
  const type = p.get('type').string();
  switch (type) {
    case 'TemplateProcessing': {
      const specials = new Map<string, SpecialTokenSpec>();
      for (const [name, spec] of Object.entries(p.get('special_tokens').isNull ? {} : p.get('special_tokens').object())) {
        const s = p.get('special_tokens').get(name);
        specials.set(name, {
          id: s.get('id').string(),
          ids: s.get('ids').items().map((i) => i.integer()),
          tokens: s.get('tokens').items().map((i) => i.string()),
        });
        void spec;
      }
      try {
        return new TemplateProcessing(readTemplate(p.get('single')), readTemplate(p.get('pair')), specials);
      } catch (e) {
        if (e instanceof FileFormatError) throw new FileFormatError(`${p.file}: post_processor: ${e.message}`);
        throw e;
      }
    }
    case 'BertProcessing':
      return bertTemplate(readTokenAndId(p.get('cls')), readTokenAndId(p.get('sep')));
    case 'ByteLevel':
      return new PassThroughProcessing(p.object());
    case 'Sequence':
      return new SequenceProcessing(p.get('processors').items().map(readPostProcessor));
    default:
      return p.get('type').fail(`"${type}" is not a supported post-processor`);
  }
}

function readDecoder(d: JsonReader): Decoder {
  const type = d.get('type').string();
  switch (type) {
    case 'WordPiece':
      return new WordPieceDecoder(d.get('prefix').string('##'), d.get('cleanup').boolean(true));
    case 'ByteLevel':
      return new ByteLevelDecoder(d.object());
    case 'Metaspace':
      return new MetaspaceDecoder(d.get('replacement').string('\u2581'), readPrependScheme(d), d.get('split').boolean(true));
    case 'Replace': {
      const pattern = readPattern(d.get('pattern'));
      if (!('String' in pattern)) return d.get('pattern').fail('must be a {"String": ...} pattern for a decoder');
      return new ReplaceDecoder(pattern.String, d.get('content').string());
    }
    case 'ByteFallback':
      return new ByteFallbackDecoder();
    case 'Fuse':
      return new FuseDecoder();
    case 'Strip':
      return new StripDecoder(d.get('content').string(), d.get('start').integer(0), d.get('stop').integer(0));
    case 'BPEDecoder':
      return new BPEDecoder(d.get('suffix').string('</w>'));
    case 'Sequence':
      return new SequenceDecoder(d.get('decoders').items().map(readDecoder));
    default:
      return d.get('type').fail(`"${type}" is not a supported decoder`);
  }
}

/** The tokenizer.json text of a tokenizer (vocabularies written in id order). */
export function tokenizerToJSON(tokenizer: Tokenizer, pretty = true): string {
  const value = {
    version: '1.0',
    truncation: tokenizer.truncation && {
      direction: tokenizer.truncation.direction === 'left' ? 'Left' : 'Right',
      max_length: tokenizer.truncation.maxLength,
      strategy: { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' }[tokenizer.truncation.strategy ?? 'longest_first'],
      stride: 0,
    },
    padding: tokenizer.padding && {
      strategy: tokenizer.padding.strategy === 'max_length' ? { Fixed: tokenizer.padding.length ?? 0 } : 'BatchLongest',
      direction: tokenizer.padding.direction === 'left' ? 'Left' : 'Right',
      pad_to_multiple_of: tokenizer.padding.padToMultipleOf ?? null,
      pad_id: tokenizer.padding.padId ?? 0,
      pad_type_id: tokenizer.padding.padTypeId ?? 0,
      pad_token: tokenizer.padding.padToken ?? '[PAD]',
    },
    added_tokens: tokenizer.addedVocabulary.toJSON(),
    normalizer: tokenizer.normalizer?.toJSON() ?? null,
    pre_tokenizer: tokenizer.preTokenizer?.toJSON() ?? null,
    post_processor: tokenizer.postProcessor?.toJSON() ?? null,
    decoder: tokenizer.decoder?.toJSON() ?? null,
    model: tokenizer.model.toJSON(),
  };
  return stringify(value, pretty ? 2 : 0, '');
}

/** JSON.stringify that writes Maps as objects in their own order (integer-like keys stay in place). */
function stringify(value: unknown, indent: number, pad: string): string {
  const inner = pad + ' '.repeat(indent);
  const nl = indent > 0 ? '\n' : '';
  const sep = indent > 0 ? ': ' : ':';
  if (value instanceof Map) {
    if (value.size === 0) return '{}';
    const parts = [...value].map(([k, v]) => `${inner}${JSON.stringify(k)}${sep}${stringify(v, indent, inner)}`);
    return `{${nl}${parts.join(`,${nl}`)}${nl}${pad}}`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    // Short arrays of scalars ([piece, score], merges) stay on one line.
    if (value.every((v) => typeof v !== 'object' || v === null) && value.length <= 4) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    const parts = value.map((v) => `${inner}${stringify(v, indent, inner)}`);
    return `[${nl}${parts.join(`,${nl}`)}${nl}${pad}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const parts = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}${sep}${stringify(v, indent, inner)}`);
    return `{${nl}${parts.join(`,${nl}`)}${nl}${pad}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
