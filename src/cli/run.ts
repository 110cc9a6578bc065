/**
 * `kotoba run <task> <text...>`: runs any pipeline on one or more texts and prints the result
 * readably (or as JSON with --json). Examples:
 *
 *   kotoba run sentiment-analysis "I love this phone"
 *   kotoba run fill-mask "The cat sat on the [MASK]." --top-k 3
 *   kotoba run ner "Alice went to Paris" --aggregation-strategy simple
 *   kotoba run text-generation "Once upon a time" --max-new-tokens 30
 *   kotoba run translation_en_to_de "The house is wonderful."
 *   kotoba run question-answering --model ./bert-squad --question "Where?" "Alice lives in Paris."
 */
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { pipeline, resolveTask } from '../pipelines/index.js';
import type { Answer, ClassificationResult, EntityGroup, FillMaskResult, TokenResult } from '../pipelines/index.js';

export interface RunCommandOptions {
  model?: string;
  topK?: string;
  aggregationStrategy?: string;
  maxNewTokens?: string;
  targets?: string[];
  question?: string;
  doSample?: boolean;
  temperature?: string;
  seed?: string;
  numBeams?: string;
  srcLang?: string;
  tgtLang?: string;
  json?: boolean;
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new OptionError(`run: --${flag} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function decimal(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new OptionError(`run: --${flag} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** The pipeline options the flags give, for the task at hand. */
function taskOptions(task: string, opts: RunCommandOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  const canonical = resolveTask(task).canonical;
  const generative = ['text-generation', 'text2text-generation', 'summarization', 'translation'].includes(canonical);
  const topK = wholeNumber(opts.topK, 'top-k');
  if (topK !== undefined) out['topK'] = topK;
  if (opts.aggregationStrategy !== undefined) {
    if (canonical !== 'token-classification') throw new OptionError(`run: --aggregation-strategy is for token-classification (ner), not ${task}`);
    out['aggregationStrategy'] = opts.aggregationStrategy;
  }
  if (opts.targets !== undefined) set('targets', opts.targets);
  const generation = {
    maxNewTokens: wholeNumber(opts.maxNewTokens, 'max-new-tokens'),
    doSample: opts.doSample,
    temperature: decimal(opts.temperature, 'temperature'),
    seed: wholeNumber(opts.seed, 'seed'),
    numBeams: wholeNumber(opts.numBeams, 'num-beams'),
  };
  for (const [key, value] of Object.entries(generation)) {
    if (value === undefined) continue;
    if (!generative) throw new OptionError(`run: --${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} is for the generation tasks, not ${task}`);
    out[key] = value;
  }
  set('srcLang', opts.srcLang);
  set('tgtLang', opts.tgtLang);
  return out;
}

const score = (x: number) => x.toFixed(4);

/** One input's result as lines of text. */
export function formatResult(task: string, result: unknown): string[] {
  const canonical = resolveTask(task).canonical;
  switch (canonical) {
    case 'text-classification': {
      const items = (Array.isArray(result) ? result : [result]) as ClassificationResult[];
      const width = Math.max(...items.map((r) => r.label.length));
      return items.map((r) => `${r.label.padEnd(width)}  ${score(r.score)}`);
    }
    case 'token-classification': {
      const items = result as (TokenResult | EntityGroup)[];
      if (items.length === 0) return ['(nothing labelled)'];
      const label = (r: TokenResult | EntityGroup) => ('entity' in r ? r.entity : r.entity_group);
      const width = Math.max(...items.map((r) => r.word.length));
      const labelWidth = Math.max(...items.map((r) => label(r).length));
      return items.map((r) => `${r.word.padEnd(width)}  ${label(r).padEnd(labelWidth)}  ${score(r.score)}  [${r.start}, ${r.end})`);
    }
    case 'fill-mask': {
      const lists = (Array.isArray((result as unknown[])[0]) ? result : [result]) as FillMaskResult[][];
      return lists.flatMap((list, i) => [
        ...(lists.length > 1 ? [`mask ${i + 1}:`] : []),
        ...list.map((r) => `${score(r.score)}  ${JSON.stringify(r.token_str)}  ${r.sequence}`),
      ]);
    }
    case 'feature-extraction': {
      const features = result as number[][][];
      const first = features[0]?.[0] ?? [];
      const preview = first.slice(0, 4).map((x) => x.toFixed(4)).join(', ');
      return [`hidden states [${features.length}, ${features[0]?.length ?? 0}, ${first.length}]`, `first token: [${preview}${first.length > 4 ? ', ...' : ''}]`];
    }
    case 'question-answering': {
      const answers = (Array.isArray(result) ? result : [result]) as Answer[];
      return answers.map((a) => `${JSON.stringify(a.answer)}  score ${score(a.score)}  [${a.start}, ${a.end})`);
    }
    default: {
      // the generation tasks: one text per returned sequence
      const items = (Array.isArray(result) ? result : [result]) as Record<string, unknown>[];
      return items.map((r) => String(Object.values(r)[0]));
    }
  }
}

/** Runs the command; returns what it printed. */
export async function runTask(task: string, texts: string[], opts: RunCommandOptions, write: (s: string) => void = console.log): Promise<string> {
  const canonical = resolveTask(task).canonical;
  const options = taskOptions(task, opts);
  let inputs: unknown;
  if (canonical === 'question-answering') {
    if (opts.question !== undefined) {
      inputs = texts.length === 1 ? { question: opts.question, context: texts[0] } : texts.map((context) => ({ question: opts.question!, context }));
    } else if (texts.length === 2) {
      inputs = { question: texts[0], context: texts[1] };
    } else {
      throw new OptionError('run: question-answering takes --question "..." and the context, or two texts: the question and the context');
    }
  } else {
    inputs = texts.length === 1 ? texts[0] : texts;
  }
  // the flags are the pipeline's options (a plain "translation" needs its languages when it is built)
  const pipe = await pipeline(task, opts.model, { ...options, onWarning: (m: string) => console.error(m) });
  const result = await pipe(inputs);
  let output: string;
  if (opts.json) {
    output = JSON.stringify(result, null, 2);
  } else if (Array.isArray(inputs)) {
    const list = result as unknown[];
    output = (inputs as unknown[])
      .map((input, i) => [`> ${typeof input === 'string' ? input : (input as { context: string }).context}`, ...formatResult(task, list[i])].join('\n'))
      .join('\n\n');
  } else {
    output = formatResult(task, result).join('\n');
  }
  write(output);
  return output;
}

/** Adds the `run` command to the kotoba program. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a task pipeline (sentiment-analysis, ner, fill-mask, text-generation, translation_en_to_de, ...) on texts')
    .argument('<task>', 'the task, as transformers names it (text-classification, token-classification, fill-mask, feature-extraction, text-generation, text2text-generation, summarization, translation_xx_to_yy, question-answering, and the aliases sentiment-analysis, ner)')
    .argument('<text...>', 'one or more input texts (for question-answering: the context, with --question)')
    .option('-m, --model <model>', "a shipped model name, a model folder or a Hub id (default: the task's shipped model)")
    .option('--top-k <n>', 'how many labels / candidates / answers')
    .option('--aggregation-strategy <s>', 'token-classification: none, simple, first, average or max')
    .option('--targets <tokens...>', 'fill-mask: only score these tokens')
    .option('--question <q>', 'question-answering: the question')
    .option('--max-new-tokens <n>', 'generation: tokens to generate')
    .option('--do-sample', 'generation: sample instead of greedy decoding')
    .option('--temperature <t>', 'generation: sampling temperature')
    .option('--seed <n>', 'generation: random seed for sampling')
    .option('--num-beams <n>', 'generation: beam search with n beams')
    .option('--src-lang <code>', 'translation: source language (with the plain "translation" task)')
    .option('--tgt-lang <code>', 'translation: target language')
    .option('--json', 'print the result as JSON')
    .action(async (task: string, texts: string[], opts: RunCommandOptions) => {
      await runTask(task, texts, opts);
    });
}
