/**
 * Saving and loading a model's weights in Hugging Face's layout (model.safetensors, + config.json
 * for a PreTrainedModel). Tied tensors (one tensor under two names) are written once, under their
 * first name, as transformers does; loading restores the alias from the shared tensor.
 */
import { join } from 'node:path';
import { StateDictError } from '../errors.js';
import { readSafetensors, writeSafetensors, type SaveFileContents, type TensorToWrite } from '../hub/index.js';
import type { Module } from '../nn/index.js';
import { Tensor } from '../tensor/index.js';

/** A model that can write a full Hugging Face folder itself (PreTrainedModel). */
interface SavesPretrained {
  savePretrained(folder: string, options?: { files?: Readonly<Record<string, SaveFileContents>> }): string[];
}

function savesPretrained(model: Module): model is Module & SavesPretrained {
  return typeof (model as unknown as Partial<SavesPretrained>).savePretrained === 'function';
}

/** The state dict without tied aliases, ready for writeSafetensors. */
export function uniqueStateDict(model: Module): Map<string, TensorToWrite> {
  const seen = new Set<Tensor>();
  const out = new Map<string, TensorToWrite>();
  for (const [key, t] of Object.entries(model.stateDict())) {
    if (seen.has(t)) continue;
    seen.add(t);
    out.set(key, { shape: [...t.shape], data: t.contiguousData() as Float32Array | Int32Array });
  }
  return out;
}

/** Writes the model into `folder` (which must exist): savePretrained when it has one, else model.safetensors. */
export function saveModel(model: Module, folder: string, files: Readonly<Record<string, SaveFileContents>> = {}): void {
  if (savesPretrained(model)) model.savePretrained(folder, { files });
  else writeSafetensors(join(folder, 'model.safetensors'), uniqueStateDict(model), { format: 'pt' });
}

/** Loads `folder/model.safetensors` into the model in place; every non-tied key must be there. */
export function loadModelWeights(model: Module, folder: string): void {
  const file = join(folder, 'model.safetensors');
  const { tensors } = readSafetensors(file);
  const own = model.stateDict();
  const needed = uniqueStateDict(model);
  const missing = [...needed.keys()].filter((k) => !tensors.has(k));
  if (missing.length) throw new StateDictError(`${file}: missing ${missing.length} tensor(s) of the model (${missing.slice(0, 5).join(', ')}); the checkpoint belongs to another model.`);
  const given = new Map<string, Tensor>();
  for (const [key, t] of tensors) if (key in own) given.set(key, Tensor.fromArray(t.data, t.shape));
  model.loadStateDict(given, { strict: false });
}
