// pipelines/: task in, answer out — transformers' pipeline() over Kotoba's models and tokenizers.
export { pipeline, resolveTask, SUPPORTED_TASKS, TASK_ALIASES, type PipelineTask, type CanonicalTask, type TranslationTask, type PipelineOptions } from './registry.js';
export { Pipeline, type PipelineLoadOptions, type PipelineParts } from './base.js';
export { TextClassificationPipeline, type TextClassificationOptions, type TextClassificationInput, type TextPair, type ClassificationResult, type ClassificationFunction } from './text-classification.js';
export { TokenClassificationPipeline, type TokenClassificationOptions, type AggregationStrategy, type TokenResult, type EntityGroup } from './token-classification.js';
export { FillMaskPipeline, type FillMaskOptions, type FillMaskResult, type FillMaskOutput } from './fill-mask.js';
export { FeatureExtractionPipeline, type FeatureExtractionOptions, type Features } from './feature-extraction.js';
export { TextGenerationPipeline, type TextGenerationOptions, type GeneratedText, type GeneratedTokens } from './text-generation.js';
export { Text2TextGenerationPipeline, SummarizationPipeline, TranslationPipeline, type Text2TextOptions, type TranslationOptions } from './text2text.js';
export { QuestionAnsweringPipeline, type QuestionAnsweringInput, type QuestionAnsweringOptions, type Answer } from './question-answering.js';
