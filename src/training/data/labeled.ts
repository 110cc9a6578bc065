/**
 * Labeled data sets for fine-tuning: sequence classification (a text, or a text pair, and a
 * label), token classification (words and one tag per word) and text-to-text (source, target).
 * Records are read in full first (labeled sets are small), so the label map can be built from
 * the whole training set and every unknown label of the validation set is reported before
 * training starts.
 */
import { OptionError } from '../../errors.js';
import type { PreTrainedTokenizer } from '../../tokenizers/index.js';
import { column, ColumnError, textColumn, type Example } from './example.js';
import { LabelMap } from './labels.js';
import { readFiles, type DataRecord, type ReadOptions } from './readers.js';

export interface LabeledDataOptions extends ReadOptions {
  /** Text column (default 'text'; 'tokens' for token classification, 'source' for text2text). */
  textColumn?: string;
  /** Second text of a pair (e.g. 'text_pair'), optional. */
  textPairColumn?: string;
  /** Label column (default 'label'; 'tags' for token classification, 'target' for text2text). */
  labelColumn?: string;
  /** Longest input in tokens (truncated beyond). */
  maxLength: number;
  /** Longest target in tokens for text2text (default maxLength). */
  maxTargetLength?: number;
  /** Prefix put before every text2text source (T5's task prefixes, e.g. "summarize: "). */
  sourcePrefix?: string;
}

/** Reads every record of the files. */
export async function readAll(paths: readonly string[], options: ReadOptions): Promise<DataRecord[]> {
  const out: DataRecord[] = [];
  for await (const r of readFiles(paths, options)) out.push(r);
  return out;
}

const where = (r: DataRecord) => `${r.file}:${r.line}`;

/** The label values of the records (for building a LabelMap); token tags are flattened. */
export function labelValues(records: readonly DataRecord[], labelColumn: string, perToken: boolean): unknown[] {
  const values: unknown[] = [];
  for (const r of records) {
    const v = column(r.fields, labelColumn, where(r));
    if (perToken) {
      if (!Array.isArray(v)) throw new ColumnError(`${where(r)}: column ${JSON.stringify(labelColumn)} should be a list of tags, found ${JSON.stringify(v)?.slice(0, 60)}.`);
      values.push(...v);
    } else values.push(v);
  }
  return values;
}

/** Sequence classification: inputIds, attentionMask, tokenTypeIds and a class id. */
export function classificationExamples(records: readonly DataRecord[], tokenizer: PreTrainedTokenizer, labels: LabelMap, options: LabeledDataOptions): Example[] {
  const textCol = options.textColumn ?? 'text';
  const labelCol = options.labelColumn ?? 'label';
  const inputs = records.map((r): string | [string, string] => {
    const text = textColumn(r.fields, textCol, where(r));
    return options.textPairColumn ? [text, textColumn(r.fields, options.textPairColumn, where(r))] : text;
  });
  const ids = records.map((r) => labels.idOf(column(r.fields, labelCol, where(r)), where(r)));
  const enc = tokenizer.encodeBatch(inputs, { truncation: true, maxLength: options.maxLength });
  return enc.inputIds.map((inputIds, i) => ({
    inputIds, attentionMask: enc.attentionMask[i], tokenTypeIds: enc.tokenTypeIds[i], labels: ids[i],
  }));
}

/**
 * Token classification: the words are joined with spaces and tokenized; each word's label goes to
 * its first sub-token and the other sub-tokens and special tokens get -100, as transformers'
 * run_ner does with label_all_tokens=False.
 */
export function tokenClassificationExamples(records: readonly DataRecord[], tokenizer: PreTrainedTokenizer, labels: LabelMap, options: LabeledDataOptions): Example[] {
  const wordsCol = options.textColumn ?? 'tokens';
  const tagsCol = options.labelColumn ?? 'tags';
  return records.map((r) => {
    const words = column(r.fields, wordsCol, where(r));
    const tags = column(r.fields, tagsCol, where(r));
    if (!Array.isArray(words) || !words.every((w) => typeof w === 'string')) {
      throw new ColumnError(`${where(r)}: column ${JSON.stringify(wordsCol)} should be a list of words.`);
    }
    if (!Array.isArray(tags) || tags.length !== words.length) {
      throw new OptionError(`${where(r)}: ${words.length} words but ${Array.isArray(tags) ? tags.length : 'no list of'} tags in ${JSON.stringify(tagsCol)}.`);
    }
    const { text, spans } = joinWords(words as string[]);
    const enc = tokenizer.encodeBatch([text], { truncation: true, maxLength: options.maxLength }).encodings[0];
    const tokenLabels: number[] = [];
    let lastWord = -1;
    for (let t = 0; t < enc.length; t++) {
      const word = enc.specialTokensMask[t] ? -1 : wordAt(spans, enc.offsets[t]);
      tokenLabels.push(word >= 0 && word !== lastWord ? labels.idOf(tags[word], where(r)) : -100);
      if (word >= 0) lastWord = word;
    }
    return { inputIds: enc.ids, attentionMask: enc.attentionMask, tokenTypeIds: enc.typeIds, labels: tokenLabels };
  });
}

/** The words joined with single spaces, and each word's [start, end) in that text. */
export function joinWords(words: readonly string[]): { text: string; spans: [number, number][] } {
  const spans: [number, number][] = [];
  let text = '';
  for (const w of words) {
    if (text) text += ' ';
    spans.push([text.length, text.length + w.length]);
    text += w;
  }
  return { text, spans };
}

/** Index of the word whose characters contain the token's start (-1 if none). */
function wordAt(spans: readonly [number, number][], offset: [number, number]): number {
  const [start, end] = offset;
  if (end <= start) return -1;
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][1] <= start) lo = mid + 1;
    else if (spans[mid][0] > start) hi = mid - 1;
    else return mid;
  }
  // a token may begin on the space before a word (byte-level BPE's "Ġword")
  return lo < spans.length && spans[lo][0] < end ? lo : -1;
}

/** Text-to-text: the source as encoder input, the target (with its end token) as labels. */
export function text2textExamples(records: readonly DataRecord[], tokenizer: PreTrainedTokenizer, options: LabeledDataOptions): Example[] {
  const srcCol = options.textColumn ?? 'source';
  const tgtCol = options.labelColumn ?? 'target';
  const prefix = options.sourcePrefix ?? '';
  const sources = records.map((r) => prefix + textColumn(r.fields, srcCol, where(r)));
  const targets = records.map((r) => textColumn(r.fields, tgtCol, where(r)));
  const src = tokenizer.encodeBatch(sources, { truncation: true, maxLength: options.maxLength });
  const tgt = tokenizer.encodeBatch(targets, { truncation: true, maxLength: options.maxTargetLength ?? options.maxLength });
  return src.inputIds.map((inputIds, i) => ({ inputIds, attentionMask: src.attentionMask[i], labels: tgt.inputIds[i] }));
}
