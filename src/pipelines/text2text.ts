/**
 * text2text-generation, translation and summarization: an encoder-decoder model (T5) rewrites
 * the input, as transformers' Text2TextGenerationPipeline and its Translation/Summarization
 * subclasses do.
 *
 * - The input gets the task's prefix (T5 is told the task in words, Raffel et al. 2020 §2.4):
 *   text2text the config's "prefix" (none by default); summarization and translation_xx_to_yy the
 *   "prefix" of config.json's task_specific_params for the task when present (as transformers
 *   applies task_specific_params), else T5's own: "summarize: ", "translate English to German: ".
 *   The other generation settings of task_specific_params (num_beams, max_length, ...) become
 *   defaults too; the call's options win.
 * - Every generate() option is passed through; without a length, up to 256 new tokens.
 * - Output: [{ generated_text }] / [{ translation_text }] / [{ summary_text }] per input (one item
 *   per returned sequence), decoded with special tokens skipped and, as transformers' default,
 *   without clean_up_tokenization_spaces. For a list of inputs where each gives one sequence,
 *   the items are returned flat (one dict per input), as transformers does; otherwise one list per input.
 */
import { OptionError } from '../errors.js';
import type { GenerationOptions } from '../generation/index.js';
import { checkTexts, Pipeline } from './base.js';
import { generateOptions } from './text-generation.js';

export interface Text2TextOptions extends Omit<GenerationOptions, 'returnDictInGenerate' | 'tokenizer' | 'attentionMask' | 'decoderInputIds' | 'pastKeyValues'> {
  /** { <key>_token_ids } instead of text. */
  returnTensors?: boolean;
  /** transformers' clean_up_tokenization_spaces when decoding (default false here). */
  cleanUpTokenizationSpaces?: boolean;
}

export interface TranslationOptions extends Text2TextOptions {
  /** Source language code ("en"), for the plain "translation" task. */
  srcLang?: string;
  /** Target language code ("de"), for the plain "translation" task. */
  tgtLang?: string;
}

export type Text2TextItem = Record<string, string | number[]>;

export interface Text2TextGenerationPipeline {
  (inputs: string, options?: Text2TextOptions): Promise<{ generated_text: string }[]>;
  (inputs: string[], options?: Text2TextOptions): Promise<{ generated_text: string }[] | { generated_text: string }[][]>;
}

/** Language names T5 uses in its prefixes ("translate English to German: "). */
const LANGUAGES: Readonly<Record<string, string>> = {
  en: 'English', de: 'German', fr: 'French', ro: 'Romanian', es: 'Spanish', it: 'Italian', pt: 'Portuguese',
  nl: 'Dutch', ja: 'Japanese', zh: 'Chinese', ko: 'Korean', ru: 'Russian', ar: 'Arabic', hi: 'Hindi',
  sv: 'Swedish', fi: 'Finnish', da: 'Danish', no: 'Norwegian', pl: 'Polish', cs: 'Czech', tr: 'Turkish',
};

export function languageName(code: string): string {
  return LANGUAGES[code.toLowerCase()] ?? code;
}

const OWN = ['returnTensors', 'cleanUpTokenizationSpaces', 'srcLang', 'tgtLang', 'onWarning'];

/** snake_case generation fields of task_specific_params -> generate() options. */
function generationDefaults(params: Record<string, unknown>): Partial<GenerationOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === 'prefix') continue;
    out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return out as Partial<GenerationOptions>;
}

export class Text2TextGenerationPipeline extends Pipeline<TranslationOptions> {
  /** The key of each output item. */
  protected readonly resultKey: string = 'generated_text';

  /** The text put before every input. */
  prefix(_options: TranslationOptions = {}): string {
    const prefix = this.model.config.extra['prefix'];
    return typeof prefix === 'string' ? prefix : '';
  }

  /** task_specific_params[key] of config.json, if any. */
  protected taskParams(key: string): Record<string, unknown> | null {
    const all = this.model.config.extra['task_specific_params'];
    const params = all && typeof all === 'object' ? (all as Record<string, unknown>)[key] : undefined;
    return params && typeof params === 'object' ? (params as Record<string, unknown>) : null;
  }

  /** Generation defaults of the task (task_specific_params). */
  protected taskDefaults(_options: TranslationOptions): Partial<GenerationOptions> {
    return {};
  }

  async run(inputs: string | string[], options?: Text2TextOptions): Promise<Text2TextItem[] | Text2TextItem[][]> {
    const merged = this.merged(options);
    const opts = { ...this.taskDefaults(merged), ...merged };
    const { texts, batched } = checkTexts(this.task, inputs);
    const prefix = this.prefix(merged);
    const results = texts.map((text) => {
      const ids = this.tokenizer.encode(prefix + text);
      const gen = generateOptions(this.model, opts, OWN, ids.length, null);
      const sequences = this.model.generate([ids], { ...gen, tokenizer: this.tokenizer }).toArray() as number[][];
      const key = this.resultKey;
      if (opts.returnTensors) return sequences.map((s) => ({ [key.replace(/_text$/, '_token_ids')]: s }));
      const decode = { skipSpecialTokens: true, cleanUpTokenizationSpaces: opts.cleanUpTokenizationSpaces ?? false };
      return sequences.map((s) => ({ [key]: this.tokenizer.decode(s, decode) }));
    });
    if (!batched) return results[0];
    return results.every((r) => r.length === 1) ? results.map((r) => r[0]) : results;
  }
}

export interface SummarizationPipeline {
  (inputs: string, options?: Text2TextOptions): Promise<{ summary_text: string }[]>;
  (inputs: string[], options?: Text2TextOptions): Promise<{ summary_text: string }[] | { summary_text: string }[][]>;
}

export class SummarizationPipeline extends Text2TextGenerationPipeline {
  protected override readonly resultKey: string = 'summary_text';

  override prefix(): string {
    const prefix = this.taskParams('summarization')?.['prefix'];
    return typeof prefix === 'string' ? prefix : 'summarize: ';
  }

  protected override taskDefaults(): Partial<GenerationOptions> {
    return generationDefaults(this.taskParams('summarization') ?? {});
  }
}

export interface TranslationPipeline {
  (inputs: string, options?: TranslationOptions): Promise<{ translation_text: string }[]>;
  (inputs: string[], options?: TranslationOptions): Promise<{ translation_text: string }[] | { translation_text: string }[][]>;
}

export class TranslationPipeline extends Text2TextGenerationPipeline {
  protected override readonly resultKey: string = 'translation_text';

  /** The languages: from the task name (translation_en_to_de), else srcLang/tgtLang, else the config's first translation task. */
  languages(options: TranslationOptions = {}): { src: string; tgt: string } {
    const fromTask = /^translation_([A-Za-z-]+)_to_([A-Za-z-]+)$/.exec(this.task);
    const src = options.srcLang ?? fromTask?.[1];
    const tgt = options.tgtLang ?? fromTask?.[2];
    if (src !== undefined && tgt !== undefined) return { src, tgt };
    const all = this.model.config.extra['task_specific_params'];
    const key = all && typeof all === 'object' ? Object.keys(all).find((k) => /^translation_.+_to_.+$/.test(k)) : undefined;
    const m = key ? /^translation_(.+)_to_(.+)$/.exec(key) : null;
    if (m) return { src: m[1], tgt: m[2] };
    throw new OptionError(`${this.task}: which languages? Use a task such as 'translation_en_to_de', or pass { srcLang: 'en', tgtLang: 'de' } (kotoba run: --src-lang en --tgt-lang de)`);
  }

  override prefix(options: TranslationOptions = {}): string {
    const { src, tgt } = this.languages(options);
    const prefix = this.taskParams(`translation_${src}_to_${tgt}`)?.['prefix'];
    return typeof prefix === 'string' ? prefix : `translate ${languageName(src)} to ${languageName(tgt)}: `;
  }

  protected override taskDefaults(options: TranslationOptions): Partial<GenerationOptions> {
    const { src, tgt } = this.languages(options);
    return generationDefaults(this.taskParams(`translation_${src}_to_${tgt}`) ?? {});
  }
}
