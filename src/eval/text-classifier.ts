/**
 * The classical text-classification baseline: TF-IDF word unigrams+bigrams (tfidf.ts) into a
 * softmax logistic regression (logistic-regression.ts). C is picked on the validation split
 * from a small grid when one is given (the fine-tuned models also chose their checkpoint on it);
 * the grid is walked in increasing C, each fit starting from the previous solution.
 */
import { accuracy } from './accuracy.js';
import { LogisticRegression } from './logistic-regression.js';
import { TfidfVectorizer } from './tfidf.js';

export interface LabeledText {
  text: string;
  label: string;
}

export const C_GRID = [1, 3, 10, 30];

export class TfidfLogisticClassifier {
  readonly vectorizer = new TfidfVectorizer();
  model = new LogisticRegression();
  labels: string[] = [];
  c = 1;

  /** Trains on train; with validation, tries every C of the grid and keeps the best accuracy. */
  fit(train: readonly LabeledText[], validation?: readonly LabeledText[], grid: readonly number[] = C_GRID): this {
    this.labels = [...new Set(train.map((e) => e.label))].sort();
    this.vectorizer.fit(train.map((e) => e.text));
    const x = train.map((e) => this.vectorizer.transform(e.text));
    const y = train.map((e) => this.labels.indexOf(e.label));
    const fitC = (c: number, init?: Float64Array) => new LogisticRegression().fit(x, y, this.labels.length, this.vectorizer.size, { c, init });
    if (!validation || validation.length === 0) {
      this.model = fitC(this.c);
      return this;
    }
    let bestAccuracy = -1;
    let previous: Float64Array | undefined;
    for (const c of [...grid].sort((a, b) => a - b)) {
      const model = fitC(c, previous);
      previous = model.params;
      const acc = accuracy(this.predictWith(model, validation.map((e) => e.text)), validation.map((e) => e.label));
      if (acc > bestAccuracy) {
        bestAccuracy = acc;
        this.c = c;
        this.model = model;
      }
    }
    return this;
  }

  private predictWith(model: LogisticRegression, texts: readonly string[]): string[] {
    return texts.map((t) => this.labels[model.predict(this.vectorizer.transform(t))]);
  }

  predict(texts: readonly string[]): string[] {
    return this.predictWith(this.model, texts);
  }
}
