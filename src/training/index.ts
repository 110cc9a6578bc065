// training/: data, collators, metrics and the Trainer (pretraining and fine-tuning).
export { readLines, isGzip, checkDataFile, type Line } from './data/lines.js';
export { readRecords, readFiles, formatOf, newReadStats, type DataRecord, type ReadStats, type ReadOptions, type DataFormat } from './data/readers.js';
export { LabelMap, UnknownLabelsIgnored } from './data/labels.js';
export { permutation, epochOrder, trainValidationSplit } from './data/shuffle.js';
export { BlockPacker, packIntoBlocks } from './data/packing.js';
export { ColumnError, type Example, type QaMeta } from './data/example.js';
export { buildPretrainingData, type PretrainingData, type PretrainingDataOptions } from './data/pretraining.js';
export { readAll, labelValues, classificationExamples, tokenClassificationExamples, text2textExamples, type LabeledDataOptions } from './data/labeled.js';
export { questionAnsweringExamples, tokenSpan, type QaDataOptions } from './data/question-answering.js';
export type { Batch, Collator } from './collators/types.js';
export { PaddingCollator, padRows, IGNORE_INDEX, type PaddingCollatorOptions } from './collators/padding.js';
export { CausalLMCollator } from './collators/causal.js';
export { MaskedLMCollator, type MaskedLMOptions } from './collators/masked-lm.js';
export { SpanCorruptionCollator, randomSpansNoiseMask, type SpanCorruptionOptions } from './collators/span-corruption.js';
export { accuracy, macroF1 } from './metrics/classification.js';
export { squadScores, exactMatch, tokenF1, normalizeAnswer } from './metrics/question-answering.js';
export { entityScores, getEntities } from './metrics/seqeval.js';
export {
  classificationMetrics, tokenClassificationMetrics, questionAnsweringMetrics, languageModelingMetrics,
  type TaskMetrics, type ModelOutputs,
} from './metrics/task-metrics.js';
export { Trainer, BEST_MODEL_DIR, type TrainerInit, type TrainResult } from './trainer.js';
export { resolveArguments, TRAINING_DEFAULTS, type TrainingArguments, type SchedulerType } from './training-args.js';
export { evaluateModel } from './evaluation.js';
export { createAdamW, decayParameterNames } from './optimizer-groups.js';
export {
  saveCheckpoint, loadCheckpoint, listCheckpoints, latestCheckpoint, readTrainerState, TRAINER_STATE_FILE, OPTIMIZER_FILE, type TrainerState,
} from './checkpoint.js';
export { saveModel, loadModelWeights } from './model-io.js';
export { ProgressReporter, formatDuration, type ProgressMode } from './progress.js';
export { appendMetrics, readMetrics, METRICS_FILE, type MetricsRecord } from './metrics-log.js';
export { renderTrainingPlot, PLOT_FILE } from './plot.js';
