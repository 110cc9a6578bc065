import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError, KotobaError } from '../errors.js';
import { resolveModelPath, type HubOptions } from '../hub/index.js';
import { type ClassicConfig, bertFromVocab, decodeUtf8, gpt2FromFiles, parseVocabTxt, t5FromSentencePiece } from './classic.js';
import { JsonReader } from './json-reader.js';
import { PreTrainedTokenizer, type TokenizerConfig } from './pretrained.js';
import { tokenizerFromJSON } from './serialization.js';
import type { Tokenizer } from './tokenizer.js';

/** Reads an optional JSON object file of the folder ({} when absent). */
function readConfigFile(folder: string, name: string): TokenizerConfig {
  const path = join(folder, name);
  if (!existsSync(path)) return {};
  return JsonReader.parse(path, decodeUtf8(readFileSync(path), path)).object();
}

/**
 * Picks the tokenizer files of a Hugging Face model folder: tokenizer.json when present (the
 * canonical format), else vocab.txt (BERT), vocab.json + merges.txt (GPT-2), spiece.model (T5).
 * tokenizer_config.json and special_tokens_map.json supply special tokens and limits.
 */
export class AutoTokenizer {
  /**
   * A model folder or a Hub id ("org/name"): a Hub id is looked up in the Hugging Face cache and,
   * unless offline (HF_HUB_OFFLINE=1), its config and tokenizer files are downloaded.
   */
  static async fromPretrained(folderOrHubId: string, options: HubOptions = {}): Promise<PreTrainedTokenizer> {
    const folder = await resolveModelPath(folderOrHubId, { ...options, weights: false });
    return AutoTokenizer.fromFolder(folder);
  }

  /** The tokenizer of a local model folder, synchronously. */
  static fromFolder(folder: string): PreTrainedTokenizer {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new KotobaError(`AutoTokenizer.fromFolder: ${folder} is not a folder; for a Hub id use await AutoTokenizer.fromPretrained(id)`);
    }
    const config = { ...readConfigFile(folder, 'special_tokens_map.json'), ...readConfigFile(folder, 'tokenizer_config.json') };
    return new PreTrainedTokenizer(loadBackend(folder, config), config);
  }
}

function loadBackend(folder: string, config: TokenizerConfig): Tokenizer {
  const file = (name: string): string => join(folder, name);
  const classic = config as ClassicConfig;
  const text = (name: string): string => decodeUtf8(readFileSync(file(name)), file(name));
  if (existsSync(file('tokenizer.json'))) return tokenizerFromJSON(text('tokenizer.json'), file('tokenizer.json'));
  if (existsSync(file('vocab.txt'))) return bertFromVocab(parseVocabTxt(text('vocab.txt'), file('vocab.txt')), classic, file('vocab.txt'));
  if (existsSync(file('vocab.json')) && existsSync(file('merges.txt'))) {
    return gpt2FromFiles(text('vocab.json'), text('merges.txt'), classic, [file('vocab.json'), file('merges.txt')]);
  }
  if (existsSync(file('spiece.model'))) return t5FromSentencePiece(readFileSync(file('spiece.model')), classic, file('spiece.model'));
  throw new FileFormatError(`${folder}: no tokenizer files (tokenizer.json, vocab.txt, vocab.json + merges.txt, or spiece.model)`);
}

/** Loads a Tokenizer (the pipeline alone) from a tokenizer.json file. */
export function loadTokenizerFile(path: string): Tokenizer {
  return tokenizerFromJSON(decodeUtf8(readFileSync(path), path), path);
}
