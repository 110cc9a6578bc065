/**
 * Model configurations: config.json as written by transformers' PretrainedConfig.save_pretrained,
 * read into typed camelCase fields with transformers' defaults, and written back the same way.
 *
 * Each model type lists its own fields once (json name, property name, default); the generic
 * fields (labels, special token ids, tying, dtype) are handled here. Fields Kotoba does not know
 * are kept and written back unchanged, so a config survives a load/save round trip.
 */
import { FileFormatError } from '../errors.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ConfigDict = Record<string, unknown>;

/** One model-specific field: its name in config.json, its property name, its default. */
export interface ConfigField {
  readonly json: string;
  readonly prop: string;
  readonly default: JsonValue;
}

export function field(json: string, prop: string, dflt: JsonValue): ConfigField {
  return { json, prop, default: dflt };
}

/** Generic fields of transformers' PretrainedConfig that Kotoba reads. */
const GENERIC = [
  'architectures', 'model_type', 'id2label', 'label2id', 'num_labels', 'problem_type',
  'pad_token_id', 'bos_token_id', 'eos_token_id', 'decoder_start_token_id', 'sep_token_id',
  'tie_word_embeddings', 'is_encoder_decoder', 'torch_dtype', 'dtype', 'transformers_version',
];

export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

export abstract class PretrainedConfig {
  /** The `model_type` this config class reads. */
  static readonly modelType: string = '';
  /** Model-specific fields, all written to config.json. */
  static readonly fields: readonly ConfigField[] = [];

  architectures: string[] | null = null;
  id2label: Record<number, string>;
  label2id: Record<string, number>;
  problemType: ProblemType | null = null;
  padTokenId: number | null = null;
  bosTokenId: number | null = null;
  eosTokenId: number | null = null;
  decoderStartTokenId: number | null = null;
  sepTokenId: number | null = null;
  tieWordEmbeddings = true;
  isEncoderDecoder = false;
  /** The dtype the weights were stored in ("float32", "float16", "bfloat16"). */
  torchDtype: string | null = null;
  transformersVersion: string | null = null;
  /** Fields of config.json this class does not know, kept for saving. */
  readonly extra: ConfigDict = {};

  /** Build from a config.json object (snake_case keys); missing fields take transformers' defaults. */
  constructor(dict: ConfigDict = {}) {
    const ctor = this.constructor as typeof PretrainedConfig;
    const self = this as unknown as Record<string, unknown>;
    for (const f of ctor.fields) self[f.prop] = f.json in dict ? dict[f.json] : structuredClone(f.default);
    const known = new Set([...GENERIC, ...ctor.fields.map((f) => f.json)]);
    for (const [k, v] of Object.entries(dict)) if (!known.has(k)) this.extra[k] = v;

    this.architectures = Array.isArray(dict['architectures']) ? (dict['architectures'] as string[]) : null;
    const numLabels = typeof dict['num_labels'] === 'number' ? (dict['num_labels'] as number) : undefined;
    const id2label = dict['id2label'] as Record<string, string> | undefined;
    if (id2label && typeof id2label === 'object' && (numLabels === undefined || Object.keys(id2label).length === numLabels)) {
      this.id2label = Object.fromEntries(Object.entries(id2label).map(([k, v]) => [Number(k), String(v)]));
    } else {
      this.id2label = defaultLabels(numLabels ?? 2);
    }
    const label2id = dict['label2id'] as Record<string, number> | undefined;
    this.label2id = label2id && typeof label2id === 'object' && Object.keys(label2id).length === this.numLabels
      ? { ...label2id }
      : Object.fromEntries(Object.entries(this.id2label).map(([k, v]) => [v, Number(k)]));
    this.problemType = (dict['problem_type'] as ProblemType | undefined) ?? null;
    this.padTokenId = numberOrNull(dict['pad_token_id']);
    this.bosTokenId = numberOrNull(dict['bos_token_id']);
    this.eosTokenId = numberOrNull(dict['eos_token_id']);
    this.decoderStartTokenId = numberOrNull(dict['decoder_start_token_id']);
    this.sepTokenId = numberOrNull(dict['sep_token_id']);
    this.tieWordEmbeddings = dict['tie_word_embeddings'] === undefined ? true : Boolean(dict['tie_word_embeddings']);
    this.isEncoderDecoder = Boolean(dict['is_encoder_decoder'] ?? false);
    this.torchDtype = (dict['torch_dtype'] ?? dict['dtype'] ?? null) as string | null;
    this.transformersVersion = (dict['transformers_version'] as string | undefined) ?? null;
  }

  get modelType(): string {
    return (this.constructor as typeof PretrainedConfig).modelType;
  }

  /** Number of labels of classification heads = number of id2label entries (default 2). */
  get numLabels(): number {
    return Object.keys(this.id2label).length;
  }

  set numLabels(n: number) {
    if (n === this.numLabels) return;
    this.id2label = defaultLabels(n);
    this.label2id = Object.fromEntries(Object.entries(this.id2label).map(([k, v]) => [v, Number(k)]));
  }

  /** Checks field types; throws FileFormatError naming the field. Subclasses add their own checks. */
  validate(source = 'config.json'): void {
    const self = this as unknown as Record<string, unknown>;
    for (const f of (this.constructor as typeof PretrainedConfig).fields) {
      const v = self[f.prop];
      const expected = f.default === null ? null : typeof f.default;
      if (expected === 'number' && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new FileFormatError(`${source}: "${f.json}" must be a number, got ${JSON.stringify(v)}`);
      }
      if (expected === 'string' && typeof v !== 'string') {
        throw new FileFormatError(`${source}: "${f.json}" must be a string, got ${JSON.stringify(v)}`);
      }
      if (expected === 'boolean' && typeof v !== 'boolean') {
        throw new FileFormatError(`${source}: "${f.json}" must be true or false, got ${JSON.stringify(v)}`);
      }
    }
  }

  /** The config.json object: every model field, the generic ones that differ from transformers' defaults. */
  toDict(): ConfigDict {
    const ctor = this.constructor as typeof PretrainedConfig;
    const self = this as unknown as Record<string, unknown>;
    const out: ConfigDict = { ...this.extra };
    if (this.architectures) out['architectures'] = [...this.architectures];
    out['model_type'] = ctor.modelType;
    for (const f of ctor.fields) out[f.json] = self[f.prop];
    const isDefaultLabels = JSON.stringify(this.id2label) === JSON.stringify(defaultLabels(2));
    if (!isDefaultLabels) {
      out['id2label'] = Object.fromEntries(Object.entries(this.id2label).map(([k, v]) => [String(k), v]));
      out['label2id'] = { ...this.label2id };
    }
    if (this.problemType !== null) out['problem_type'] = this.problemType;
    if (this.padTokenId !== null) out['pad_token_id'] = this.padTokenId;
    if (this.bosTokenId !== null) out['bos_token_id'] = this.bosTokenId;
    if (this.eosTokenId !== null) out['eos_token_id'] = this.eosTokenId;
    if (this.decoderStartTokenId !== null) out['decoder_start_token_id'] = this.decoderStartTokenId;
    if (this.sepTokenId !== null) out['sep_token_id'] = this.sepTokenId;
    if (!this.tieWordEmbeddings) out['tie_word_embeddings'] = false;
    if (this.isEncoderDecoder) out['is_encoder_decoder'] = true;
    if (this.torchDtype !== null) out['torch_dtype'] = this.torchDtype;
    out['transformers_version'] = this.transformersVersion ?? '4.51.3';
    return out;
  }
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

function defaultLabels(n: number): Record<number, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [i, `LABEL_${i}`]));
}
