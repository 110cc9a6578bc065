// The hub layer's whole job in one call: a folder or Hub id in, a config, a state dict and the
// tokenizer files out. models/ turns those into modules; it never touches files itself.
import { existsSync } from 'node:fs';
import { OptionError } from '../errors.js';
import { listModelFolder, readConfig, readStateDict, type LoadedStateDict } from './folder.js';
import { resolveModelPath, type ResolveOptions } from './hub.js';
import { readJsonObject } from './json.js';
import { renameLegacyKeys } from './state-dict-keys.js';

export interface LoadPretrainedOptions extends ResolveOptions {
  /**
   * In-memory dtype of the weights. Kotoba computes in float32, so float16 / bfloat16 files are
   * always upcast: 'float32' and 'auto' are accepted, other values are refused.
   */
  readonly dtype?: 'float32' | 'auto';
}

export interface PretrainedFiles {
  /** The folder the files were read from (a Hub snapshot folder for Hub ids). */
  readonly folder: string;
  readonly config: Record<string, unknown>;
  readonly generationConfig: Record<string, unknown> | undefined;
  /** Tensors (float32 / int32) and, per key, the file each came from. Empty when weights: false. */
  readonly stateDict: LoadedStateDict;
  /** Tokenizer file name -> absolute path (tokenizer.json, tokenizer_config.json, vocab.txt, ...). */
  readonly tokenizerFiles: Readonly<Record<string, string>>;
}

/** Resolve `idOrFolder` (downloading if needed) and read config, weights and tokenizer file list. */
export async function loadPretrained(idOrFolder: string, options: LoadPretrainedOptions = {}): Promise<PretrainedFiles> {
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'auto') {
    throw new OptionError(`dtype ${JSON.stringify(dtype)} is not supported: Kotoba computes in float32 (float16/bfloat16 weights are upcast on load). Use 'float32'.`);
  }
  const folder = await resolveModelPath(idOrFolder, options);
  return readModelFolder(folder, { weights: options.weights !== false });
}

/** The folder's weights under today's names (`LayerNorm.gamma` -> `LayerNorm.weight`, as transformers loads them). */
function readRenamedStateDict(folder: string): LoadedStateDict {
  const raw = readStateDict(folder);
  const sources = new Map(raw.sources);
  return { tensors: renameLegacyKeys(raw.tensors, sources), sources };
}

/** Read a local model folder (synchronous; no network). */
export function readModelFolder(folder: string, options: { weights?: boolean } = {}): PretrainedFiles {
  if (!existsSync(folder)) throw new OptionError(`${folder}: no such folder.`);
  const listing = listModelFolder(folder);
  return {
    folder,
    config: readConfig(folder),
    generationConfig: listing.generationConfig ? readJsonObject(listing.generationConfig) : undefined,
    stateDict: options.weights === false ? { tensors: new Map(), sources: new Map() } : readRenamedStateDict(folder),
    tokenizerFiles: listing.tokenizerFiles,
  };
}
