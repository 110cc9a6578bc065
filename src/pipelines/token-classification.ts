/**
 * token-classification (alias ner): a label per token, or per group of tokens, as transformers'
 * TokenClassificationPipeline computes them.
 *
 * - Each token's scores are the softmax of its logits; special tokens ([CLS], [SEP]) are left out.
 * - aggregationStrategy 'none': one { entity, score, index, word, start, end } per token, `index`
 *   being its position in the model input ([CLS] is 0) and `word` its token string ("##ing").
 * - 'simple': tokens labelled alike are grouped: a token joins the group before it when its tag
 *   (the label without a "B-"/"I-" prefix) is the same and it does not begin with "B-".
 *   Each group is { entity_group, score (the mean), word, start, end }; entity_group is the
 *   first item's label after its first "-" (transformers' split("-", 1)[-1]: "B-PER" -> "PER",
 *   and a hyphenated tag such as Brown's "np-hl" -> "hl").
 * - 'first': first the tokens of a word (a token is a subword when its string differs in length
 *   from the text it covers, e.g. "##ing" for "ing") take the label and score of the word's first
 *   token; then the words are grouped as in 'simple'. 'max': the word takes the label of its
 *   most confident token; 'average': the argmax of its tokens' mean scores.
 * - Results whose label is in ignoreLabels (default ['O']) are dropped after grouping.
 * - `start`/`end` are character offsets into the input (JavaScript string indices).
 */
import { OptionError } from '../errors.js';
import { noGrad } from '../tensor/index.js';
import type { PreTrainedTokenizer } from '../tokenizers/index.js';
import { argmax, checkTexts, contextLength, encodeText, Pipeline, rows, softmax } from './base.js';

export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';

export interface TokenClassificationOptions {
  /** 'none' (default), 'simple', 'first', 'average' or 'max'. */
  aggregationStrategy?: AggregationStrategy;
  /** Labels to leave out of the result (default ['O']). */
  ignoreLabels?: string[];
}

/** One token (aggregationStrategy 'none'). */
export interface TokenResult {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number;
  end: number;
}

/** One group of tokens ('simple', 'first'). */
export interface EntityGroup {
  entity_group: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

/** A token before aggregation: its scores over the labels and where it came from. */
export interface PreEntity {
  word: string;
  scores: number[];
  start: number;
  end: number;
  index: number;
  isSubword: boolean;
}

export interface TokenClassificationPipeline {
  (inputs: string, options?: TokenClassificationOptions): Promise<(TokenResult | EntityGroup)[]>;
  (inputs: string[], options?: TokenClassificationOptions): Promise<(TokenResult | EntityGroup)[][]>;
}

export class TokenClassificationPipeline extends Pipeline<TokenClassificationOptions> {
  async run(inputs: string | string[], options?: TokenClassificationOptions): Promise<(TokenResult | EntityGroup)[] | (TokenResult | EntityGroup)[][]> {
    const opts = this.merged(options);
    const strategy = opts.aggregationStrategy ?? 'none';
    if (!['none', 'simple', 'first', 'average', 'max'].includes(strategy)) {
      throw new OptionError(`${this.task}: aggregationStrategy must be 'none', 'simple', 'first', 'average' or 'max', got ${JSON.stringify(strategy)}`);
    }
    const ignore = opts.ignoreLabels ?? ['O'];
    if (!Array.isArray(ignore) || ignore.some((l) => typeof l !== 'string')) throw new OptionError(`${this.task}: ignoreLabels must be an array of label strings`);
    const { texts, batched } = checkTexts(this.task, inputs);
    const labels = (i: number) => this.model.config.id2label[i] ?? `LABEL_${i}`;
    const results = texts.map((text) => {
      const entities = aggregate(this.preEntities(text), strategy, labels, this.tokenizer);
      return entities.filter((e) => !ignore.includes('entity' in e ? e.entity : e.entity_group));
    });
    return batched ? results : results[0];
  }

  /** transformers' gather_pre_entities: per non-special token, its scores, offsets and whether it continues a word. */
  preEntities(text: string): PreEntity[] {
    const enc = encodeText(this.tokenizer, text, null, contextLength(this.model, this.tokenizer));
    const logits = noGrad(() => this.model.forward({ inputIds: [enc.ids], tokenTypeIds: [enc.typeIds] }).logits);
    const numLabels = logits.shape[2];
    const perToken = rows(logits.contiguousData(), enc.length, numLabels);
    const unk = this.tokenizer.unkTokenId;
    const out: PreEntity[] = [];
    for (let i = 0; i < enc.length; i++) {
      if (enc.specialTokensMask[i]) continue;
      const [start, end] = enc.offsets[i];
      let word = this.tokenizer.convertIdsToTokens(enc.ids[i]) ?? enc.tokens[i];
      const covered = text.slice(start, end);
      // WordPiece marks continuations ("##ing"): the token string is longer than the text it covers
      let isSubword = word.length !== covered.length;
      if (enc.ids[i] === unk) {
        word = covered;
        isSubword = false;
      }
      out.push({ word, scores: softmax(perToken[i]), start, end, index: i, isSubword });
    }
    return out;
  }
}

/** transformers' aggregate(): tokens -> labelled tokens, or groups for 'simple' / 'first'. */
export function aggregate(pre: PreEntity[], strategy: AggregationStrategy, labels: (id: number) => string, tokenizer: Pick<PreTrainedTokenizer, 'convertTokensToString'>): (TokenResult | EntityGroup)[] {
  if (strategy === 'none' || strategy === 'simple') {
    const tokens: TokenResult[] = pre.map((p) => {
      const best = argmax(p.scores);
      return { entity: labels(best), score: p.scores[best], index: p.index, word: p.word, start: p.start, end: p.end };
    });
    return strategy === 'none' ? tokens : groupEntities(tokens, tokenizer);
  }
  return groupEntities(labelWords(pre, strategy, labels, tokenizer), tokenizer);
}

type Labelled = Pick<TokenResult, 'entity' | 'score' | 'word' | 'start' | 'end'>;

/** transformers' aggregate_words: each word (a token and the subwords after it) gets one label and score. */
function labelWords(pre: PreEntity[], strategy: 'first' | 'average' | 'max', labels: (id: number) => string, tokenizer: Pick<PreTrainedTokenizer, 'convertTokensToString'>): Labelled[] {
  const words: PreEntity[][] = [];
  for (const p of pre) {
    if (words.length > 0 && p.isSubword) words[words.length - 1].push(p);
    else words.push([p]);
  }
  return words.map((tokens) => {
    let scores: number[];
    if (strategy === 'first') scores = tokens[0].scores;
    else if (strategy === 'max') scores = tokens.reduce((best, t) => (Math.max(...t.scores) > Math.max(...best.scores) ? t : best)).scores;
    else scores = tokens[0].scores.map((_, k) => tokens.reduce((sum, t) => sum + t.scores[k], 0) / tokens.length);
    const best = argmax(scores);
    return {
      entity: labels(best),
      score: scores[best],
      word: tokenizer.convertTokensToString(tokens.map((t) => t.word)),
      start: tokens[0].start,
      end: tokens[tokens.length - 1].end,
    };
  });
}

/** "B-PER" -> ['B', 'PER']; a label without a B-/I- prefix counts as a continuation ('I'). */
function splitTag(label: string): [string, string] {
  if (label.startsWith('B-')) return ['B', label.slice(2)];
  if (label.startsWith('I-')) return ['I', label.slice(2)];
  return ['I', label];
}

/** transformers' group_entities: adjacent items with the same tag merge unless the next begins with B-. */
function groupEntities(items: Labelled[], tokenizer: Pick<PreTrainedTokenizer, 'convertTokensToString'>): EntityGroup[] {
  const groups: Labelled[][] = [];
  for (const item of items) {
    const current = groups[groups.length - 1];
    if (current) {
      const [bi, tag] = splitTag(item.entity);
      const [, lastTag] = splitTag(current[current.length - 1].entity);
      if (tag === lastTag && bi !== 'B') {
        current.push(item);
        continue;
      }
    }
    groups.push([item]);
  }
  return groups.map((g) => ({
    // named as transformers names it: the label after its first "-" ("B-PER" -> "PER"; also "np-hl" -> "hl")
    entity_group: g[0].entity.slice(g[0].entity.indexOf('-') + 1),
    score: g.reduce((s, x) => s + x.score, 0) / g.length,
    word: tokenizer.convertTokensToString(g.map((x) => x.word)),
    start: g[0].start,
    end: g[g.length - 1].end,
  }));
}
