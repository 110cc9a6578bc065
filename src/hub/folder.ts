// What a Hugging Face model folder holds, and reading its weights as one state dict.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FileFormatError } from '../errors.js';
import { readJsonObject } from './json.js';
import { openSafetensors, type LoadedTensor } from './safetensors.js';

export const CONFIG_FILE = 'config.json';
export const GENERATION_CONFIG_FILE = 'generation_config.json';
export const WEIGHTS_FILE = 'model.safetensors';
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

/** Tokenizer files transformers may save next to a model (fast and classic formats). */
export const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'vocab.txt',
  'vocab.json',
  'merges.txt',
  'spiece.model',
] as const;

/** Pickle checkpoints: recognised only to explain why they are not loaded. */
const PICKLE_FILES = ['pytorch_model.bin', 'pytorch_model.bin.index.json', 'tf_model.h5', 'flax_model.msgpack'];

/** A state dict read from a folder: tensors plus the file each one came from (for error messages). */
export interface LoadedStateDict {
  readonly tensors: Map<string, LoadedTensor>;
  readonly sources: Map<string, string>;
}

export interface ModelFolderListing {
  readonly folder: string;
  /** Absolute paths of the files that exist; undefined when absent. */
  readonly config: string | undefined;
  readonly generationConfig: string | undefined;
  /** model.safetensors, or the shards named by model.safetensors.index.json. */
  readonly weights: readonly string[];
  readonly weightsIndex: string | undefined;
  /** Tokenizer file name -> absolute path, for those present. */
  readonly tokenizerFiles: Readonly<Record<string, string>>;
}

function fileIn(folder: string, name: string): string | undefined {
  const p = join(folder, name);
  return existsSync(p) && statSync(p).isFile() ? p : undefined;
}

/** List the files of a model folder that Kotoba understands. */
export function listModelFolder(folder: string): ModelFolderListing {
  const tokenizerFiles: Record<string, string> = {};
  for (const name of TOKENIZER_FILES) {
    const p = fileIn(folder, name);
    if (p) tokenizerFiles[name] = p;
  }
  const single = fileIn(folder, WEIGHTS_FILE);
  const index = single ? undefined : fileIn(folder, WEIGHTS_INDEX_FILE);
  return {
    folder,
    config: fileIn(folder, CONFIG_FILE),
    generationConfig: fileIn(folder, GENERATION_CONFIG_FILE),
    weights: single ? [single] : index ? shardFiles(folder, index) : [],
    weightsIndex: index,
    tokenizerFiles,
  };
}

/** The shard file names of a model.safetensors.index.json (validated: plain names in the folder). */
export function readWeightMap(indexFile: string): Map<string, string> {
  const index = readJsonObject(indexFile);
  const map = index['weight_map'];
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new FileFormatError(`${indexFile}: "weight_map" must be an object of tensor name -> shard file.`);
  }
  const out = new Map<string, string>();
  for (const [key, file] of Object.entries(map)) {
    if (typeof file !== 'string' || !/^[\w.-]+\.safetensors$/.test(file) || file.startsWith('.')) {
      throw new FileFormatError(`${indexFile}: "weight_map"."${key}" is ${JSON.stringify(file)}, not a .safetensors file name in the same folder.`);
    }
    out.set(key, file);
  }
  return out;
}

function shardFiles(folder: string, indexFile: string): string[] {
  return [...new Set(readWeightMap(indexFile).values())].sort().map((f) => join(folder, f));
}

/** Read config.json (required) as an object. */
export function readConfig(folder: string): Record<string, unknown> {
  const p = fileIn(folder, CONFIG_FILE);
  if (!p) throw new FileFormatError(`${folder}: no ${CONFIG_FILE}. A model folder needs one (save the model with savePretrained, or download the full repo).`);
  return readJsonObject(p);
}

/** Read the weights of a model folder (single file or shards) into one state dict. */
export function readStateDict(folder: string): LoadedStateDict {
  const listing = listModelFolder(folder);
  if (listing.weights.length === 0) {
    const pickles = PICKLE_FILES.filter((f) => fileIn(folder, f));
    const hint = pickles.length
      ? ` It has ${pickles.join(', ')}, which Kotoba never loads (pickle can run code). Convert it in Python: model.save_pretrained(folder, safe_serialization=True).`
      : ' Save the model with savePretrained, or download the full repo.';
    throw new FileFormatError(`${folder}: no ${WEIGHTS_FILE} or ${WEIGHTS_INDEX_FILE}.${hint}`);
  }
  const tensors = new Map<string, LoadedTensor>();
  const sources = new Map<string, string>();
  for (const file of listing.weights) {
    if (!existsSync(file)) {
      throw new FileFormatError(`${listing.weightsIndex}: names shard ${file}, which is missing. Download or save the model again.`);
    }
    const st = openSafetensors(file);
    try {
      for (const name of st.names()) {
        const earlier = sources.get(name);
        if (earlier) throw new FileFormatError(`${file}: tensor "${name}" is also in ${earlier}. Each tensor must be stored once.`);
        tensors.set(name, st.read(name));
        sources.set(name, file);
      }
    } finally {
      st.close();
    }
  }
  if (listing.weightsIndex) checkWeightMap(listing.weightsIndex, sources);
  return { tensors, sources };
}

/** Every key of the index must be in the shard it names. */
function checkWeightMap(indexFile: string, sources: Map<string, string>): void {
  for (const [key, file] of readWeightMap(indexFile)) {
    const actual = sources.get(key);
    if (!actual) throw new FileFormatError(`${indexFile}: tensor "${key}" is listed in shard ${file} but no shard holds it.`);
    if (basename(actual) !== file) throw new FileFormatError(`${indexFile}: tensor "${key}" is listed in ${file} but stored in ${actual}.`);
  }
}
