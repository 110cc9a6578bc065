// savePretrained: write config.json, model.safetensors and the tokenizer files as a Hugging Face
// folder. Everything is first written into a hidden temporary folder inside the target, then each
// file is renamed into place, so a crash leaves every file either old or new, never half-written.
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KotobaError, OptionError } from '../errors.js';
import { removeQuietly, syncDirectory, tempSibling, writeFileAtomic } from './atomic.js';
import { torchDTypeName, type FloatStorageDType } from './dtypes.js';
import { CONFIG_FILE, GENERATION_CONFIG_FILE, WEIGHTS_FILE, WEIGHTS_INDEX_FILE, readWeightMap } from './folder.js';
import { stringifySortedJson } from './json.js';
import { writeSafetensors, type TensorToWrite } from './safetensors-write.js';

/** Contents of an extra file: raw text/bytes, or a JSON value (written indent 2, sorted keys). */
export type SaveFileContents = string | Uint8Array | Record<string, unknown>;

export interface SavePretrainedInput {
  /** The model config; `torch_dtype` is set to the stored dtype. */
  readonly config: Record<string, unknown>;
  /** State dict with Hugging Face key names. */
  readonly stateDict: ReadonlyMap<string, TensorToWrite>;
  /**
   * Keys that alias another saved tensor (tied weights such as `lm_head.weight` ->
   * `transformer.wte.weight`). Transformers stores a tied tensor once and leaves the alias out;
   * so do we.
   */
  readonly tiedKeys?: readonly string[];
  readonly generationConfig?: Record<string, unknown>;
  /** Tokenizer and other files by name (tokenizer.json, tokenizer_config.json, vocab.txt, ...). */
  readonly files?: Readonly<Record<string, SaveFileContents>>;
  /** Storage type of the float weights (default 'F32'). */
  readonly dtype?: FloatStorageDType;
  /**
   * Largest weights file in bytes (transformers' max_shard_size). Above it the weights are split
   * into model-00001-of-0000N.safetensors shards named by model.safetensors.index.json; a single
   * tensor larger than the limit gets a shard of its own. Default: one model.safetensors.
   */
  readonly maxShardSize?: number;
}

/** Write a model folder in Hugging Face's layout. Returns the file names written. */
export function savePretrained(folder: string, input: SavePretrainedInput): string[] {
  const dtype = input.dtype ?? 'F32';
  const tied = new Set(input.tiedKeys ?? []);
  const weights = new Map([...input.stateDict].filter(([k]) => !tied.has(k)));
  const config: Record<string, unknown> = { ...input.config, torch_dtype: torchDTypeName(dtype) };
  if ('dtype' in input.config) config['dtype'] = torchDTypeName(dtype); // transformers >= 4.56 spelling

  const files = new Map<string, SaveFileContents>();
  for (const [name, contents] of Object.entries(input.files ?? {})) {
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.') || name === WEIGHTS_FILE || name === CONFIG_FILE) {
      throw new OptionError(`savePretrained(${folder}): cannot write extra file ${JSON.stringify(name)} (plain file names only; config and weights are written from their own fields).`);
    }
    files.set(name, contents);
  }
  if (input.generationConfig) files.set(GENERATION_CONFIG_FILE, input.generationConfig);
  files.set(CONFIG_FILE, config);

  let staging: string;
  try {
    mkdirSync(folder, { recursive: true });
    staging = tempSibling(join(folder, 'save'), '.partial');
    mkdirSync(staging);
  } catch (e) {
    throw new KotobaError(`savePretrained: cannot create a folder at ${folder} (${describeFsError(e)}). Choose a writable folder path.`);
  }
  try {
    const shards = splitIntoShards(weights, dtype, input.maxShardSize ?? Infinity);
    for (const [name, shard] of shards) writeSafetensors(join(staging, name), shard, { format: 'pt' }, { dtype });
    if (shards.size > 1) files.set(WEIGHTS_INDEX_FILE, shardIndex(shards, dtype));
    for (const [name, contents] of files) writeFileAtomic(join(staging, name), encode(contents));
    // Weights first, config last: a reader that finds the new config also finds the new weights.
    const order = [...shards.keys(), ...files.keys()];
    for (const name of order) renameSync(join(staging, name), join(folder, name));
    removeStaleWeights(folder, new Set(order));
    syncDirectory(folder);
    return order;
  } catch (e) {
    if (e instanceof KotobaError) throw e;
    throw new KotobaError(`savePretrained: writing ${folder} failed (${describeFsError(e)}); files already in the folder are unchanged or complete.`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function describeFsError(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function encode(contents: SaveFileContents): string | Uint8Array {
  if (typeof contents === 'string' || contents instanceof Uint8Array) return contents;
  return stringifySortedJson(contents);
}

function storedBytes(tensor: TensorToWrite, dtype: FloatStorageDType): number {
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data instanceof Float32Array) return count * (dtype === 'F32' ? 4 : 2);
  return count * (tensor.dtype === 'I32' ? 4 : 8);
}

/** The weights as file name -> tensors: one model.safetensors, or shards of at most maxBytes each (in key order). */
function splitIntoShards(weights: ReadonlyMap<string, TensorToWrite>, dtype: FloatStorageDType, maxBytes: number): Map<string, Map<string, TensorToWrite>> {
  const groups: Map<string, TensorToWrite>[] = [new Map()];
  let bytes = 0;
  for (const [key, tensor] of weights) {
    const size = storedBytes(tensor, dtype);
    if (bytes > 0 && bytes + size > maxBytes) {
      groups.push(new Map());
      bytes = 0;
    }
    groups.at(-1)!.set(key, tensor);
    bytes += size;
  }
  if (groups.length === 1) return new Map([[WEIGHTS_FILE, groups[0]]]);
  const n = String(groups.length).padStart(5, '0');
  return new Map(groups.map((g, i) => [`model-${String(i + 1).padStart(5, '0')}-of-${n}.safetensors`, g]));
}

/** model.safetensors.index.json as transformers writes it: total byte size and tensor -> shard. */
function shardIndex(shards: ReadonlyMap<string, ReadonlyMap<string, TensorToWrite>>, dtype: FloatStorageDType): Record<string, unknown> {
  let total = 0;
  const weightMap: Record<string, string> = {};
  for (const [file, tensors] of shards) {
    for (const [key, tensor] of tensors) {
      total += storedBytes(tensor, dtype);
      weightMap[key] = file;
    }
  }
  return { metadata: { total_size: total }, weight_map: weightMap };
}

/** Weights files of an earlier save that this one does not write again (single file, old shards, old index). */
function removeStaleWeights(folder: string, keep: ReadonlySet<string>): void {
  let shards: string[] = [];
  try {
    shards = [...new Set(readWeightMap(join(folder, WEIGHTS_INDEX_FILE)).values())];
  } catch {
    // no index (the usual case) or an unreadable one: remove only what matches the shard pattern
  }
  for (const name of readdirSync(folder)) {
    const stale = name === WEIGHTS_FILE || name === WEIGHTS_INDEX_FILE || /^model-\d+-of-\d+\.safetensors$/.test(name) || shards.includes(name);
    if (stale && !keep.has(name)) removeQuietly(join(folder, name));
  }
}
