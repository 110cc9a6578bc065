/**
 * PreTrainedModel: what every Kotoba model shares with transformers' PreTrainedModel —
 * fromPretrained (a folder or Hub id -> config + weights -> a model in eval mode),
 * savePretrained (config.json + model.safetensors + the tokenizer files it came with), the
 * base-model prefix rules, tied weights and the load report.
 *
 * Files are read and written by hub/; this module only maps state-dict keys onto modules.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FileFormatError, OptionError, StateDictError } from '../errors.js';
import {
  assertShapesMatch, compareStateDict, formatLoadReport, loadPretrained, savePretrained as writeModelFolder,
  type LoadReport, type LoadPretrainedOptions, type LoadedTensor, type PretrainedFiles, type SaveFileContents, type TensorToWrite,
} from '../hub/index.js';
import { Module, init } from '../nn/index.js';
import { noGrad, Tensor, type Generator } from '../tensor/index.js';
import type { ConfigDict, PretrainedConfig } from './configuration.js';

export interface FromPretrainedOptions extends Omit<LoadPretrainedOptions, 'weights'> {
  /** Overrides of config.json fields (snake_case, as transformers' from_pretrained kwargs). */
  config?: ConfigDict;
  /** Number of labels for a classification head (sets id2label to LABEL_0 ...). */
  numLabels?: number;
  /** Re-initialize weights whose shape differs from the checkpoint instead of failing. */
  ignoreMismatchedSizes?: boolean;
  /** Receives the load report's warnings (default: console.warn). */
  onWarning?: (message: string) => void;
}

export interface SavePretrainedOptions {
  /** Storage dtype of the weights (default float32). */
  dtype?: 'float32' | 'float16' | 'bfloat16';
  /** Split the weights into shards of at most this many bytes (transformers' max_shard_size). */
  maxShardSize?: number;
  /** Extra files by name (e.g. tokenizer files); by default the tokenizer files the model was loaded with are copied. */
  files?: Readonly<Record<string, SaveFileContents>>;
}

/** A concrete model class: its constructor, its config class and its base-model prefix. */
export interface ModelClass<T extends PreTrainedModel> {
  new (config: any): T;
  readonly configClass: new (dict?: ConfigDict) => PretrainedConfig;
  readonly baseModelPrefix: string;
  readonly ignoreUnexpectedOnLoad: readonly RegExp[];
  readonly name: string;
}

export abstract class PreTrainedModel<C extends PretrainedConfig = PretrainedConfig> extends Module {
  /** The attribute holding the base model in head models ('bert', 'transformer'); '' when none. */
  static readonly baseModelPrefix: string = '';
  static readonly configClass: new (dict?: ConfigDict) => PretrainedConfig;
  /** Checkpoint keys that are never reported as unused (non-persistent buffers of older checkpoints). */
  static readonly ignoreUnexpectedOnLoad: readonly RegExp[] = [];

  readonly config: C;
  /** generation_config.json of the folder the model was loaded from, if any. */
  generationConfig: Record<string, unknown> | undefined = undefined;
  /** What fromPretrained found: missing (newly initialized), unexpected and resized keys. */
  loadReport: LoadReport | undefined = undefined;
  /** Tokenizer file name -> path, from the folder the model was loaded from (copied by savePretrained). */
  tokenizerFiles: Readonly<Record<string, string>> = {};

  constructor(config: C) {
    super();
    this.config = config;
  }

  /** transformers' _init_weights: initializes one module's own weights (`name` is its dotted path). */
  protected abstract initModule(module: Module, name: string, generator?: Generator): void;

  /**
   * Initializes the weights as a fresh model has them; with `onlyKeys`, only the modules on the
   * path to those state-dict keys (the weights a checkpoint did not provide; some models, like
   * T5, initialize a layer's weights from its parent module).
   */
  initWeights(generator?: Generator, onlyKeys?: readonly string[]): void {
    let owners: Set<string> | null = null;
    if (onlyKeys) {
      owners = new Set();
      for (const key of onlyKeys) {
        const parts = key.split('.');
        for (let i = 0; i < parts.length; i++) owners.add(parts.slice(0, i).join('.'));
      }
    }
    for (const [name, m] of this.namedModules()) {
      if (!owners || owners.has(name)) this.initModule(m, name, generator);
    }
  }

  /**
   * State-dict keys that alias an earlier key (tied weights, e.g. GPT-2's lm_head.weight is
   * transformer.wte.weight). transformers saves a tied tensor once, under its first name.
   */
  tiedWeightKeys(): string[] {
    const seen = new Set<Tensor>();
    const tied: string[] = [];
    for (const [key, t] of Object.entries(this.stateDict())) {
      if (seen.has(t)) tied.push(key);
      else seen.add(t);
    }
    return tied;
  }

  /**
   * Loads a model from a local folder or a Hub id (downloaded into the Hugging Face cache):
   * config.json, model.safetensors (float16/bfloat16 upcast to float32), generation_config.json
   * and the tokenizer file list. Weights the checkpoint lacks keep their fresh initialization and
   * are listed in a warning; a weight of the wrong shape is an error naming file and key.
   */
  static async fromPretrained<T extends PreTrainedModel>(this: ModelClass<T>, idOrFolder: string, options: FromPretrainedOptions = {}): Promise<T> {
    const files = await loadPretrained(idOrFolder, options);
    return buildFromFiles(this, files, options);
  }

  /** Writes config.json, model.safetensors (tied weights once) and the tokenizer files. */
  savePretrained(folder: string, options: SavePretrainedOptions = {}): string[] {
    const config = this.config.toDict();
    config['architectures'] = [this.constructor.name];
    const stateDict = new Map<string, TensorToWrite>();
    for (const [key, t] of Object.entries(this.stateDict())) {
      stateDict.set(key, { shape: [...t.shape], data: t.contiguousData() as Float32Array });
    }
    const files: Record<string, SaveFileContents> = {};
    for (const [name, path] of Object.entries(this.tokenizerFiles)) files[name] = readFileSync(path);
    Object.assign(files, options.files ?? {});
    const dtype = options.dtype === 'float16' ? 'F16' : options.dtype === 'bfloat16' ? 'BF16' : 'F32';
    return writeModelFolder(folder, {
      config, stateDict, tiedKeys: this.tiedWeightKeys(), files, dtype, maxShardSize: options.maxShardSize,
      generationConfig: this.generationConfig,
    });
  }
}

/** Config from config.json plus overrides, checked against the class. */
function buildConfig(cls: ModelClass<PreTrainedModel>, files: PretrainedFiles, options: FromPretrainedOptions): PretrainedConfig {
  const dict = { ...files.config, ...(options.config ?? {}) };
  if (options.numLabels !== undefined) {
    dict['num_labels'] = options.numLabels;
    if (dict['id2label'] && Object.keys(dict['id2label'] as object).length !== options.numLabels) {
      delete dict['id2label'];
      delete dict['label2id'];
    }
  }
  const config = new cls.configClass(dict);
  const source = `${files.folder}/config.json`;
  const declared = files.config['model_type'];
  if (declared !== undefined && declared !== config.modelType) {
    throw new FileFormatError(`${source}: model_type is ${JSON.stringify(declared)}, but ${cls.name} needs "${config.modelType}". Use the Auto classes (AutoModel.fromPretrained) to pick the class from the config.`);
  }
  config.validate(source);
  return config;
}

/** The model from already-read files (used by fromPretrained and the Auto classes). */
export function buildFromFiles<T extends PreTrainedModel>(cls: ModelClass<T>, files: PretrainedFiles, options: FromPretrainedOptions = {}): T {
  const config = buildConfig(cls, files, options);
  // build without drawing random weights; only those the checkpoint lacks are initialized (below)
  const model = init.withoutInit(() => new cls(config));
  loadWeights(model, cls, files, options);
  model.generationConfig = files.generationConfig;
  model.tokenizerFiles = files.tokenizerFiles;
  return model.eval();
}

/**
 * Copies checkpoint tensors into the model, applying transformers' prefix rules: a base model
 * loaded from a head checkpoint drops the "bert." / "transformer." prefix, and a head model
 * loaded from a base checkpoint adds it.
 */
function loadWeights(model: PreTrainedModel, cls: ModelClass<PreTrainedModel>, files: PretrainedFiles, options: FromPretrainedOptions): void {
  const own = model.stateDict();
  const prefix = cls.baseModelPrefix ? `${cls.baseModelPrefix}.` : '';
  const modelHasPrefix = prefix !== '' && Object.keys(own).some((k) => k.startsWith(prefix));
  const checkpointHasPrefix = prefix !== '' && [...files.stateDict.tensors.keys()].some((k) => k.startsWith(prefix));
  const rename = (key: string): string => {
    if (prefix && !modelHasPrefix && checkpointHasPrefix && key.startsWith(prefix)) return key.slice(prefix.length);
    if (prefix && modelHasPrefix && !checkpointHasPrefix) return prefix + key;
    return key;
  };
  const checkpoint = new Map<string, LoadedTensor>();
  const sources = new Map<string, string>();
  for (const [key, t] of files.stateDict.tensors) {
    const name = rename(key);
    checkpoint.set(name, t);
    sources.set(name, files.stateDict.sources.get(key) ?? files.folder);
  }
  const shapes = new Map(Object.entries(own).map(([k, t]) => [k, [...t.shape]]));
  const report = compareStateDict(shapes, checkpoint, {
    tiedKeys: model.tiedWeightKeys(),
    ignoreUnexpected: cls.ignoreUnexpectedOnLoad,
    sources,
  });
  if (!options.ignoreMismatchedSizes) assertShapesMatch(report, cls.name);
  const resized = new Set(report.mismatched.map((m) => m.key));
  // fresh values for what the checkpoint does not provide (then the checkpoint's tensors are copied over)
  const fresh = [...report.missing, ...resized];
  if (fresh.length > 0) model.initWeights(undefined, fresh);
  noGrad(() => {
    for (const [key, target] of Object.entries(own)) {
      const src = checkpoint.get(key);
      if (!src || resized.has(key)) continue;
      if (!(src.data instanceof Float32Array)) {
        throw new StateDictError(`${sources.get(key)}: tensor "${key}" is stored as ${src.dtype}, but ${cls.name} needs a floating-point weight there. The file does not belong to this model.`);
      }
      target.copy_(Tensor.fromArray(src.data, src.shape));
    }
  });
  model.loadReport = report;
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  for (const line of formatLoadReport(report, cls.name, basename(files.folder) || files.folder)) warn(line);
}

/** Ids as an int32 tensor [batch, length]: accepts a tensor or nested arrays; 1-D means batch 1. */
export function asIds(ids: Tensor | readonly number[] | readonly (readonly number[])[], what = 'inputIds'): Tensor {
  let t: Tensor;
  if (ids instanceof Tensor) t = ids;
  else {
    const rows = (Array.isArray(ids[0]) ? ids : [ids]) as readonly (readonly number[])[];
    const width = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== width)) throw new OptionError(`${what}: rows have different lengths; pad them (and pass an attentionMask)`);
    t = Tensor.fromArray(Int32Array.from(rows.flat()), [rows.length, width]);
  }
  if (t.dtype !== 'int32') {
    throw new OptionError(`${what}: expected int32 ids, got ${t.dtype} (create them with tensor(ids, { dtype: 'int32' }))`);
  }
  if (t.ndim === 1) t = t.unsqueeze(0);
  if (t.ndim !== 2) throw new OptionError(`${what}: expected shape [batch, length], got [${t.shape.join(', ')}]`);
  return t;
}
