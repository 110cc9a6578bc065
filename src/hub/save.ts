// savePretrained: write config.json, model.safetensors and the tokenizer files as a Hugging Face
// folder. Everything is first written into a hidden temporary folder inside the target, then each
// file is renamed into place, so a crash leaves every file either old or new, never half-written.
import { mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
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
    writeSafetensors(join(staging, WEIGHTS_FILE), weights, { format: 'pt' }, { dtype });
    for (const [name, contents] of files) writeFileAtomic(join(staging, name), encode(contents));
    // Weights first, config last: a reader that finds the new config also finds the new weights.
    const order = [WEIGHTS_FILE, ...[...files.keys()]];
    for (const name of order) renameSync(join(staging, name), join(folder, name));
    removeStaleShards(folder);
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

/** A single model.safetensors replaces an earlier sharded save: drop the old index and shards. */
function removeStaleShards(folder: string): void {
  const index = join(folder, WEIGHTS_INDEX_FILE);
  let shards: string[] = [];
  try {
    shards = [...new Set(readWeightMap(index).values())];
  } catch {
    // no index (the usual case) or an unreadable one: remove only what matches the shard pattern
  }
  for (const name of readdirSync(folder)) {
    if (/^model-\d+-of-\d+\.safetensors$/.test(name) || shards.includes(name)) removeQuietly(join(folder, name));
  }
  try {
    unlinkSync(index);
  } catch {
    // absent
  }
}
