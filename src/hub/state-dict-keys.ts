// Key adjustments transformers makes when it loads a checkpoint, so older or differently headed
// checkpoints load under today's Hugging Face names.

/**
 * Old checkpoints (the original BERT release among them) name LayerNorm parameters `gamma` and
 * `beta`; transformers loads them as `weight` and `bias`. Only a final `.gamma` / `.beta`
 * segment is renamed. Returns a new map; `sources` (key -> file), if given, is renamed alike.
 */
export function renameLegacyKeys<T>(tensors: ReadonlyMap<string, T>, sources?: Map<string, string>): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, value] of tensors) {
    const renamed = key.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
    out.set(renamed, value);
    if (sources && renamed !== key) {
      const file = sources.get(key);
      sources.delete(key);
      if (file !== undefined) sources.set(renamed, file);
    }
  }
  return out;
}

/**
 * Match the base-model prefix (`bert`, `transformer`) between a checkpoint and a model, as
 * transformers does: a head checkpoint (`bert.encoder...`) loaded into a base model
 * (`encoder...`) loses the prefix, and its head keys, which have no prefix, stay as they are
 * (and so are reported unexpected); a base checkpoint loaded into a model with a head gains the
 * prefix. When both or neither use the prefix, keys are unchanged.
 */
export function alignBasePrefix<T>(checkpoint: ReadonlyMap<string, T>, modelKeys: Iterable<string>, prefix: string): Map<string, T> {
  const p = `${prefix}.`;
  const checkpointHasPrefix = [...checkpoint.keys()].some((k) => k.startsWith(p));
  const modelHasPrefix = [...modelKeys].some((k) => k.startsWith(p));
  if (checkpointHasPrefix === modelHasPrefix) return new Map(checkpoint);
  const out = new Map<string, T>();
  for (const [key, value] of checkpoint) {
    if (modelHasPrefix) out.set(p + key, value);
    else out.set(key.startsWith(p) ? key.slice(p.length) : key, value);
  }
  return out;
}
