/**
 * What every pipeline shares: the callable Pipeline object (task, model, tokenizer), loading a
 * model and its tokenizer for a task, and the small numeric helpers of the post-processing.
 *
 * As in Hugging Face transformers, a pipeline is "task in, answer out": it tokenizes, runs the
 * model and turns logits into labels, spans or text. Inputs are processed one at a time
 * (transformers' default batch_size=1), so a batch gives exactly the results of its items alone.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KotobaError, OptionError } from '../errors.js';
import { readConfig, resolveModelPath, type HubOptions } from '../hub/index.js';
import { AutoConfig, PreTrainedModel, resolveModelName, SHIPPED_MODELS, shippedModelPath, shippedModelsDir, type ModelClass, type ShippedModelName } from '../models/index.js';
import { AutoTokenizer, PreTrainedTokenizer, type Encoding } from '../tokenizers/index.js';

/** Options every pipeline() call accepts, besides the task's own call options (used as defaults). */
export interface PipelineLoadOptions extends HubOptions {
  /** A tokenizer, or a folder / Hub id to load it from (default: the model's folder). */
  tokenizer?: PreTrainedTokenizer | string;
  /** Receives load warnings, e.g. a head whose weights the checkpoint lacks (default: console.warn). */
  onWarning?: (message: string) => void;
}

/** The parts a pipeline is built from. */
export interface PipelineParts {
  task: string;
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  /** The model argument as given (a shipped name, a folder or a Hub id), for messages. */
  modelName: string;
}

/**
 * A pipeline is a function with properties: `await classifier('text')` runs it, and
 * `classifier.task`, `classifier.model`, `classifier.tokenizer` are what it was built from.
 * (JavaScript cannot make a class instance callable, so the constructor returns a function whose
 * prototype is the subclass's prototype; `instanceof` and methods work as usual, and
 * Pipeline.prototype inherits from Function.prototype.)
 */
// The call signature of any pipeline; each task's pipeline declares its own precise ones.
export interface Pipeline<Options extends object = object> {
  (inputs: any, options?: Options): Promise<any>;
}

export abstract class Pipeline<Options extends object = object> {
  declare readonly task: string;
  declare readonly model: PreTrainedModel;
  declare readonly tokenizer: PreTrainedTokenizer;
  declare readonly modelName: string;
  /** Options given to pipeline(): defaults of every call (a call's own options win). */
  declare readonly defaults: Readonly<Options>;

  constructor(parts: PipelineParts, defaults: Options) {
    const self = function (inputs: unknown, options?: Options) {
      return self.run(inputs, options);
    } as unknown as Pipeline<Options>;
    Object.setPrototypeOf(self, new.target.prototype);
    Object.defineProperty(self, 'name', { value: parts.task });
    Object.assign(self, { task: parts.task, model: parts.model, tokenizer: parts.tokenizer, modelName: parts.modelName, defaults: { ...defaults } });
    return self;
  }

  /** Runs the pipeline (what calling it does; `pipe.run(inputs)` is the same as `pipe(inputs)`). */
  abstract run(inputs: unknown, options?: Options): Promise<unknown>;

  /** The pipeline's defaults overridden by a call's options. */
  protected merged(options: Options | undefined): Options {
    return { ...this.defaults, ...(options ?? {}) } as Options;
  }
}

// pipelines are functions: call, apply and bind come from Function.prototype
Object.setPrototypeOf(Pipeline.prototype, Function.prototype);

/** What a task loads: the model class for each model type it supports. */
export interface TaskModels {
  /** model_type -> class, e.g. { bert: BertForSequenceClassification }. */
  classes: Readonly<Record<string, ModelClass<PreTrainedModel>>>;
  /** What the task needs, for error messages ("a BERT model (BertForSequenceClassification)"). */
  needs: string;
  /**
   * Missing weights the task never uses (feature-extraction reads the last hidden states, not
   * BERT's pooler): when these are all that is missing, the load warnings are not shown, since a
   * head checkpoint's unused head weights are expected then too.
   */
  unusedWeights?: RegExp;
}

/** Where a default model lives, or a clear error when it is not there. */
export function defaultModelLocation(task: string, name: ShippedModelName): string {
  const folder = shippedModelPath(name);
  if (!existsSync(join(folder, 'config.json'))) {
    throw new OptionError(
      `${task}: the default model ${name} is not in ${shippedModelsDir()} (set KOTOBA_MODELS_DIR, run scripts/train-default-models.sh, or pass a model folder or Hub id: pipeline('${task}', 'path/to/model'))`,
    );
  }
  return folder;
}

/**
 * Loads the model class the task needs for the folder's model type, and its tokenizer.
 * `model` is a shipped model name, a folder or a Hub id, or an already loaded model.
 */
export async function loadParts(task: string, spec: TaskModels, model: string | PreTrainedModel, options: PipelineLoadOptions, canDo: (modelType: string) => string[]): Promise<PipelineParts> {
  const onWarning = options.onWarning ?? ((m: string) => console.warn(m));
  const hub = hubOptionsOf(options);
  if (model instanceof PreTrainedModel) {
    const name = model.constructor.name;
    if (!Object.values(spec.classes).some((cls) => model instanceof cls)) {
      throw new OptionError(`${task}: a ${name} cannot do ${task}; it needs ${spec.needs}`);
    }
    const tokenizer = await loadTokenizer(task, options.tokenizer, tokenizerFolderOf(model), hub);
    return { task, model, tokenizer, modelName: name };
  }
  const location = resolveModelName(model);
  let folder: string;
  try {
    folder = await resolveModelPath(location, { ...hub, weights: true });
  } catch (err) {
    // a bare name that is neither a shipped model nor a folder: say so before the Hub's answer
    if (location === model && !model.includes('/') && err instanceof KotobaError) {
      throw new OptionError(`${task}: "${model}" is not a shipped model (${Object.keys(SHIPPED_MODELS).join(', ')}) nor a model folder; as a Hub id: ${err.message}`);
    }
    throw err;
  }
  const config = AutoConfig.fromDict(readConfig(folder), `${folder}/config.json`);
  const cls = spec.classes[config.modelType];
  if (!cls) {
    const architecture = config.architectures?.[0] ?? config.modelType;
    const others = canDo(config.modelType);
    throw new OptionError(
      `${task}: ${model} is a ${config.modelType} model (${architecture}), but ${task} needs ${spec.needs}.` +
        (others.length ? ` This model can do: ${others.join(', ')}.` : ''),
    );
  }
  const warnings: string[] = [];
  const loaded = await (cls as unknown as Loadable).fromPretrained(folder, { onWarning: (m) => warnings.push(m) });
  const unused = spec.unusedWeights;
  const harmless = unused !== undefined && (loaded.loadReport?.missing ?? []).every((key) => unused.test(key)) && (loaded.loadReport?.mismatched.length ?? 0) === 0;
  if (!harmless) warnings.forEach((m) => onWarning(m));
  const tokenizer = await loadTokenizer(task, options.tokenizer, folder, hub);
  return { task, model: loaded, tokenizer, modelName: model };
}

/** Every model class has PreTrainedModel's static fromPretrained. */
interface Loadable {
  fromPretrained(folder: string, options: { onWarning: (m: string) => void }): Promise<PreTrainedModel>;
}

/** The keys of pipeline()'s options that are about loading, not about running. */
export const LOAD_OPTION_KEYS = ['tokenizer', 'onWarning', 'revision', 'cacheDir', 'offline', 'token', 'endpoint', 'progress', 'timeoutSeconds', 'env'] as const;

function hubOptionsOf(options: PipelineLoadOptions): HubOptions {
  const hub: Record<string, unknown> = {};
  for (const key of LOAD_OPTION_KEYS) if (key !== 'tokenizer' && key !== 'onWarning' && options[key] !== undefined) hub[key] = options[key];
  return hub as HubOptions;
}

/** The folder a loaded model's tokenizer files came from, if any. */
function tokenizerFolderOf(model: PreTrainedModel): string | null {
  const first = Object.values(model.tokenizerFiles)[0];
  return first === undefined ? null : join(first, '..');
}

async function loadTokenizer(task: string, given: PreTrainedTokenizer | string | undefined, folder: string | null, hub: HubOptions): Promise<PreTrainedTokenizer> {
  if (given instanceof PreTrainedTokenizer) return given;
  const from = given ?? folder;
  if (from === null) {
    throw new OptionError(`${task}: this model was not loaded from a folder with tokenizer files; pass one: pipeline('${task}', model, { tokenizer })`);
  }
  return AutoTokenizer.fromPretrained(resolveModelName(from), hub);
}

// ---- numeric helpers of the post-processing (JavaScript numbers: float64; transformers uses numpy on the float32 logits) ----

/** softmax of a row of logits, shifted by its maximum. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exps = Array.from(logits, (x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function sigmoid(logits: ArrayLike<number>): number[] {
  return Array.from(logits, (x) => 1 / (1 + Math.exp(-x)));
}

/** Index of the largest value (the first one on ties, as numpy's argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Rows of a [1, n, m] or [n, m] float tensor's data as Float32Array views. */
export function rows(data: ArrayLike<number>, count: number, width: number): Float32Array[] {
  const flat = data instanceof Float32Array ? data : Float32Array.from(data);
  return Array.from({ length: count }, (_, i) => flat.subarray(i * width, (i + 1) * width));
}

/** A positive whole number option (or undefined). */
export function positiveInt(value: unknown, what: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new OptionError(`${what} must be a whole number >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The model's context length in tokens (position embeddings), or null when unbounded (T5). */
export function contextLength(model: PreTrainedModel, tokenizer: PreTrainedTokenizer): number | null {
  const config = model.config as unknown as Record<string, unknown>;
  const positions = [config['maxPositionEmbeddings'], config['nPositions']].find((v) => typeof v === 'number') as number | undefined;
  const limits = [positions, tokenizer.modelMaxLength < 1e29 ? tokenizer.modelMaxLength : undefined].filter((v): v is number => v !== undefined);
  return limits.length ? Math.min(...limits) : null;
}

/** Checks that the input is a string (or an array of strings) and says what is wrong otherwise. */
export function checkTexts(task: string, inputs: unknown): { texts: string[]; batched: boolean } {
  const batched = Array.isArray(inputs);
  const texts = batched ? (inputs as unknown[]) : [inputs];
  texts.forEach((t, i) => {
    if (typeof t !== 'string') {
      throw new OptionError(`${task}: input${batched ? ` ${i}` : ''} must be a string, got ${t === null ? 'null' : typeof t}`);
    }
  });
  if (batched && texts.length === 0) throw new OptionError(`${task}: the input list is empty`);
  return { texts: texts as string[], batched };
}

/**
 * Tokenizes one text (or text pair) with special tokens, cut to `maxLength` tokens when given
 * (pairs are cut on the longer side first, transformers' "longest_first").
 */
export function encodeText(tokenizer: PreTrainedTokenizer, text: string, pair: string | null, maxLength: number | null): Encoding {
  const input: string | [string, string] = pair === null ? text : [text, pair];
  return tokenizer.encodeBatch([input], maxLength === null ? { truncation: false } : { truncation: true, maxLength }).encodings[0];
}
