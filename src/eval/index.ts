// eval/: the metrics, baselines and model evaluations behind `npm run eval` (docs/evaluation.md).
export { accuracy, tokenAccuracy } from './accuracy.js';
export { corpusBleu, bleuFromStatistics, addBleuSentence, emptyBleuStatistics, type BleuResult, type BleuStatistics } from './bleu.js';
export { corpusChrf, chrfFromStatistics, addChrfSentence, emptyChrfStatistics } from './chrf.js';
export { tokenize13a, tokenizeChars } from './tokenize-bleu.js';
export { TfidfVectorizer, type SparseVector } from './tfidf.js';
export { LogisticRegression, logisticLoss, lbfgs } from './logistic-regression.js';
export { TfidfLogisticClassifier } from './text-classifier.js';
export { MostFrequentTagger } from './pos-baseline.js';
export { KneserNeyByteLM } from './char-ngram-lm.js';
export { xzBitsPerByte } from './xz.js';
export { causalLmBits, chunkForScoring } from './lm-bits.js';
export { NearestNeighbourTranslator } from './nearest-neighbour.js';
export { runEvaluation, MODEL_EVALUATIONS, type EvalOptions } from './run.js';
export type { EvalResult, ModelEvaluation, Baseline } from './results.js';
