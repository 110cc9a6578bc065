/** Baselines for a labeled text set: TF-IDF + logistic regression, and the majority class. */
import { accuracy } from './accuracy.js';
import { readSplit } from './data.js';
import { TfidfLogisticClassifier, type LabeledText } from './text-classifier.js';
import type { Baseline } from './results.js';

export function majorityLabel(train: readonly LabeledText[]): string {
  const counts = new Map<string, number>();
  for (const e of train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/** The baselines' accuracies on `test` (a subset of the set's test split), trained on its train split. */
export function classificationBaselines(data: string, set: string, test: readonly LabeledText[], textKey = 'text', labelKey = 'label'): Baseline[] {
  const load = (split: 'train' | 'validation') =>
    readSplit(data, set, split).map((r): LabeledText => ({ text: String(r[textKey]), label: String(r[labelKey]) }));
  const train = load('train');
  const classifier = new TfidfLogisticClassifier().fit(train, load('validation'));
  const gold = test.map((e) => e.label);
  const majority = majorityLabel(train);
  return [
    { name: `TF-IDF + logistic regression (same train split, C=${classifier.c} chosen on validation)`, value: accuracy(classifier.predict(test.map((e) => e.text)), gold) },
    { name: `majority class of train ("${majority}")`, value: accuracy(test.map(() => majority), gold) },
  ];
}
