/**
 * Kotoba's own pretrained models, shipped in the package's models/ folder (trained by
 * scripts/train-default-models.sh). A model argument may name one of them ("kotoba-bert-mini")
 * instead of a folder path or a Hub id.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped models and what each is for. */
export const SHIPPED_MODELS = {
  'kotoba-bert-mini': 'BERT encoder, masked-LM pretrained (fill-mask, feature-extraction)',
  'kotoba-bert-mini-sentiment': 'BERT fine-tuned for positive/negative sentiment (text-classification)',
  'kotoba-bert-mini-pos': 'BERT fine-tuned for part-of-speech tags (token-classification)',
  'kotoba-gpt-mini': 'GPT-2 decoder, causal-LM pretrained (text-generation)',
  'kotoba-t5-mini': 'T5 v1.1 encoder-decoder with task prefixes (text2text-generation, translation)',
} as const;

export type ShippedModelName = keyof typeof SHIPPED_MODELS;

/** Where the shipped models live: $KOTOBA_MODELS_DIR, else models/ at the package root. */
export function shippedModelsDir(): string {
  if (process.env.KOTOBA_MODELS_DIR) return resolve(process.env.KOTOBA_MODELS_DIR);
  // dist/src/hub/shipped.js -> the package root
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');
}

/** The folder of a shipped model (whether or not it exists). */
export function shippedModelPath(name: ShippedModelName): string {
  return join(shippedModelsDir(), name);
}

/**
 * A model argument as a loadable location: a bare name of a folder in the shipped models'
 * folder ("kotoba-gpt-mini") becomes its path; anything else (a folder, a Hub id) is returned as is.
 */
export function resolveModelName(nameOrPath: string): string {
  if (!nameOrPath.includes('/') && !nameOrPath.includes('\\') && !existsSync(nameOrPath)) {
    const shipped = join(shippedModelsDir(), nameOrPath);
    if (existsSync(join(shipped, 'config.json'))) return shipped;
  }
  return nameOrPath;
}
