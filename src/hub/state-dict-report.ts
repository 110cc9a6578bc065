// Comparing a checkpoint's keys with the keys a model expects, reported the way transformers
// reports them: unused checkpoint weights ("unexpected"), newly initialised model weights
// ("missing"), and shape mismatches, which are an error naming the file and key.
import { StateDictError } from '../errors.js';

export interface ShapeMismatch {
  readonly key: string;
  readonly checkpointShape: readonly number[];
  readonly modelShape: readonly number[];
  /** The file the checkpoint tensor came from, when known. */
  readonly file: string | undefined;
}

export interface LoadReport {
  /** Model keys the checkpoint does not provide (they keep their fresh initialisation). */
  readonly missing: string[];
  /** Checkpoint keys the model has no place for (ignored). */
  readonly unexpected: string[];
  readonly mismatched: ShapeMismatch[];
}

export interface CompareOptions {
  /** Model keys that alias another (tied weights): never reported missing. */
  readonly tiedKeys?: readonly string[];
  /** Missing keys matching these are not reported (transformers' `_keys_to_ignore_on_load_missing`). */
  readonly ignoreMissing?: readonly RegExp[];
  /** Unexpected keys matching these are not reported (e.g. old checkpoints' `position_ids`, `attn.bias`). */
  readonly ignoreUnexpected?: readonly RegExp[];
  /** Checkpoint key -> file it came from (LoadedStateDict.sources). */
  readonly sources?: ReadonlyMap<string, string>;
}

/**
 * Compare `model` (key -> expected shape) with `checkpoint` (key -> tensor with a shape).
 * Keys are compared as given; strip or add a base-model prefix (`bert.`) before calling.
 */
export function compareStateDict(
  model: ReadonlyMap<string, readonly number[]>,
  checkpoint: ReadonlyMap<string, { readonly shape: readonly number[] }>,
  options: CompareOptions = {},
): LoadReport {
  const tied = new Set(options.tiedKeys ?? []);
  const ignored = (key: string, patterns: readonly RegExp[] | undefined) => (patterns ?? []).some((p) => p.test(key));
  const missing: string[] = [];
  const mismatched: ShapeMismatch[] = [];
  for (const [key, modelShape] of model) {
    const found = checkpoint.get(key);
    if (!found) {
      if (!tied.has(key) && !ignored(key, options.ignoreMissing)) missing.push(key);
    } else if (!sameShape(found.shape, modelShape)) {
      mismatched.push({ key, checkpointShape: found.shape, modelShape, file: options.sources?.get(key) });
    }
  }
  const unexpected = [...checkpoint.keys()].filter((k) => !model.has(k) && !ignored(k, options.ignoreUnexpected));
  return { missing: missing.sort(), unexpected: unexpected.sort(), mismatched };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throw a StateDictError listing every shape mismatch with its file and key. */
export function assertShapesMatch(report: LoadReport, modelClass: string): void {
  if (report.mismatched.length === 0) return;
  const lines = report.mismatched.map(
    (m) => `  ${m.key}${m.file ? ` (in ${m.file})` : ''}: checkpoint has shape [${m.checkpointShape.join(', ')}], ${modelClass} expects [${m.modelShape.join(', ')}]`,
  );
  throw new StateDictError(
    `The checkpoint does not fit ${modelClass}:\n${lines.join('\n')}\nCheck that config.json matches the weights, or pass ignoreMismatchedSizes: true to initialise these weights afresh.`,
  );
}

/** Warning lines (empty when the checkpoint fits exactly), in the spirit of transformers' log. */
export function formatLoadReport(report: LoadReport, modelClass: string, source: string): string[] {
  const out: string[] = [];
  if (report.unexpected.length > 0) {
    out.push(
      `Some weights of the checkpoint at ${source} were not used when initializing ${modelClass}: ${list(report.unexpected)}\n` +
        `- Expected if the checkpoint was trained for another task or with another architecture (e.g. a pretraining checkpoint loaded into a classifier).\n` +
        `- Not expected if the checkpoint was saved from exactly this model class.`,
    );
  }
  if (report.missing.length > 0) {
    out.push(
      `Some weights of ${modelClass} were not initialized from the checkpoint at ${source} and are newly initialized: ${list(report.missing)}\n` +
        `Train this model on a downstream task before using it for predictions.`,
    );
  }
  if (report.mismatched.length > 0) {
    const shapes = report.mismatched.map((m) => `- ${m.key}: found [${m.checkpointShape.join(', ')}] in the checkpoint, the model has [${m.modelShape.join(', ')}]`);
    out.push(`Some weights of ${modelClass} were newly initialized because their shapes did not match the checkpoint at ${source}:\n${shapes.join('\n')}`);
  }
  return out;
}

function list(keys: readonly string[]): string {
  return `[${keys.map((k) => `'${k}'`).join(', ')}]`;
}
