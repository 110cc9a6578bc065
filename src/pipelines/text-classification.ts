/**
 * text-classification (alias sentiment-analysis): a label and its score for a whole text, as
 * transformers' TextClassificationPipeline computes them:
 *
 * - scores: sigmoid when the config's problem_type is multi_label_classification or the model
 *   has one label, softmax when it is single_label_classification or there are several labels,
 *   the raw logits for regression (functionToApply overrides this);
 * - without topK (transformers' "legacy" mode) each text gives its best label only: one text ->
 *   [{ label, score }], a list of texts -> one { label, score } per text;
 * - with topK (a number, or null for all labels) each text gives its labels sorted by score,
 *   cut to topK: one text -> [{ label, score }, ...], a list -> one such list per text.
 *
 * A text pair is given as { text, textPair } (transformers' { text, text_pair }).
 */
import { OptionError } from '../errors.js';
import { noGrad } from '../tensor/index.js';
import { argmax, checkTexts, contextLength, encodeText, Pipeline, positiveInt, sigmoid, softmax } from './base.js';

export interface TextPair {
  text: string;
  textPair: string;
}

export type TextClassificationInput = string | TextPair;

export interface ClassificationResult {
  label: string;
  score: number;
}

export type ClassificationFunction = 'softmax' | 'sigmoid' | 'none';

export interface TextClassificationOptions {
  /** How many labels to return per text (null: all of them). Absent: the best one, transformers' legacy shape. */
  topK?: number | null;
  /** softmax, sigmoid or none; default by the config's problem_type and number of labels. */
  functionToApply?: ClassificationFunction;
}

export interface TextClassificationPipeline {
  (inputs: TextClassificationInput, options?: TextClassificationOptions): Promise<ClassificationResult[]>;
  (inputs: TextClassificationInput[], options: TextClassificationOptions & { topK: number | null }): Promise<ClassificationResult[][]>;
  (inputs: TextClassificationInput[], options?: TextClassificationOptions): Promise<ClassificationResult[] | ClassificationResult[][]>;
}

export class TextClassificationPipeline extends Pipeline<TextClassificationOptions> {
  async run(inputs: TextClassificationInput | TextClassificationInput[], options?: TextClassificationOptions): Promise<ClassificationResult[] | ClassificationResult[][]> {
    const opts = this.merged(options);
    const topK = opts.topK === null ? null : positiveInt(opts.topK, `${this.task}: topK`);
    const legacy = opts.topK === undefined;
    const fn = opts.functionToApply ?? this.defaultFunction();
    if (!['softmax', 'sigmoid', 'none'].includes(fn)) {
      throw new OptionError(`${this.task}: functionToApply must be 'softmax', 'sigmoid' or 'none', got ${JSON.stringify(fn)}`);
    }
    const batched = Array.isArray(inputs);
    const items = (batched ? inputs : [inputs]) as TextClassificationInput[];
    const results = items.map((item) => {
      const scores = this.scores(item, fn);
      const all = scores.map((score, i) => ({ label: this.model.config.id2label[i] ?? `LABEL_${i}`, score }));
      if (legacy) return [all[argmax(scores)]];
      all.sort((a, b) => b.score - a.score);
      return topK === null ? all : all.slice(0, topK);
    });
    if (legacy) return results.map((r) => r[0]) as ClassificationResult[] & ClassificationResult[][];
    return batched ? results : results[0];
  }

  /** transformers' choice of function from the config (postprocess with function_to_apply=None). */
  private defaultFunction(): ClassificationFunction {
    const { problemType, numLabels } = this.model.config;
    if (problemType === 'regression') return 'none';
    if (problemType === 'multi_label_classification' || numLabels === 1) return 'sigmoid';
    return 'softmax';
  }

  /** The scores of every label for one input. */
  private scores(item: TextClassificationInput, fn: ClassificationFunction): number[] {
    let text: string;
    let pair: string | null = null;
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      if (typeof item.text !== 'string' || typeof item.textPair !== 'string') {
        throw new OptionError(`${this.task}: a text pair is { text: string, textPair: string }`);
      }
      ({ text, textPair: pair } = item);
    } else {
      text = checkTexts(this.task, item).texts[0];
    }
    const enc = encodeText(this.tokenizer, text, pair, contextLength(this.model, this.tokenizer));
    const logits = noGrad(() => this.model.forward({ inputIds: [enc.ids], tokenTypeIds: [enc.typeIds] }).logits).toFlatArray();
    return fn === 'softmax' ? softmax(logits) : fn === 'sigmoid' ? sigmoid(logits) : logits;
  }
}
