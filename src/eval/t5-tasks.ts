/**
 * kotoba-t5-mini's tasks, with the prefixes it was fine-tuned with (scripts/make-t5-task-mix.ts,
 * T5_TASKS; a test checks the two lists agree) and how each is scored.
 */
export interface T5EvalTask {
  prefix: string;
  set: string;
  input: string;
  output: string;
  kind: 'translation' | 'label';
  /** BLEU tokenization of the targets: 13a, or one token per character for Japanese. */
  bleuTokenizer: '13a' | 'char';
  name: string;
}

export const T5_EVAL_TASKS: readonly T5EvalTask[] = [
  { prefix: 'translate English to German: ', set: 'translation_en_de', input: 'source', output: 'target', kind: 'translation', bleuTokenizer: '13a', name: 'translation en→de' },
  { prefix: 'translate English to Japanese: ', set: 'translation_en_ja', input: 'source', output: 'target', kind: 'translation', bleuTokenizer: 'char', name: 'translation en→ja' },
  { prefix: 'modernize: ', set: 'bible_kjv_to_web', input: 'source', output: 'target', kind: 'translation', bleuTokenizer: '13a', name: 'modernize (KJV→WEB)' },
  { prefix: 'sentiment: ', set: 'sentiment_uci', input: 'text', output: 'label', kind: 'label', bleuTokenizer: '13a', name: 'sentiment' },
  { prefix: 'topic: ', set: 'fortunes_topic', input: 'text', output: 'label', kind: 'label', bleuTokenizer: '13a', name: 'topic' },
];
