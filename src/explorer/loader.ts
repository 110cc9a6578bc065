/**
 * Loads a model folder (or Hub id) for the explorer: the class named by config.json's
 * "architectures" (any class the models module exports), and the folder's tokenizer.
 */
import { KotobaError } from '../errors.js';
import { readConfig, resolveModelPath } from '../hub/index.js';
import * as models from '../models/index.js';
import type { PreTrainedModel } from '../models/index.js';
import { AutoTokenizer, type PreTrainedTokenizer } from '../tokenizers/index.js';

export interface LoadedModel {
  name: string;
  folder: string;
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
}

interface Loadable {
  fromPretrained(folder: string, options?: { onWarning?: (m: string) => void }): Promise<PreTrainedModel>;
}

/** The model class for an architecture name, e.g. "GPT2LMHeadModel". */
function modelClass(architecture: string, folder: string): Loadable {
  const cls = (models as Record<string, unknown>)[architecture] as Partial<Loadable> | undefined;
  if (typeof cls?.fromPretrained !== 'function') {
    throw new KotobaError(`${folder}/config.json: architecture "${architecture}" is not a model class Kotoba has`);
  }
  return cls as Loadable;
}

export async function loadModel(idOrFolder: string, options: { name?: string; onWarning?: (m: string) => void } = {}): Promise<LoadedModel> {
  const folder = await resolveModelPath(idOrFolder);
  const config = readConfig(folder);
  const architectures = config['architectures'];
  const architecture = Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : null;
  if (architecture === null) throw new KotobaError(`${folder}/config.json: no "architectures" entry, so the explorer cannot tell which model class to load`);
  const model = await modelClass(architecture, folder).fromPretrained(folder, { onWarning: options.onWarning });
  const tokenizer = AutoTokenizer.fromFolder(folder);
  return { name: options.name ?? idOrFolder, folder, model, tokenizer };
}
