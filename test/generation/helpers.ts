/** Shared helpers of the generation tests: fixture models and generation cases. */
import { resolve } from 'node:path';
import { AutoModelForCausalLM, AutoModelForSeq2SeqLM, type Tensor } from '../../src/index.js';
import { FIXTURES, fromFixture, loadCases } from '../helpers/fixtures.js';

export const modelFolder = (name: string) => resolve(FIXTURES, 'models', name);

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const loaded = new Map<string, Promise<any>>();

/** The fixture model of a folder (loaded once per test file). */
export function fixtureModel(folder: string): Promise<any> {
  if (!loaded.has(folder)) {
    const cls = folder.startsWith('t5') ? AutoModelForSeq2SeqLM : AutoModelForCausalLM;
    loaded.set(folder, (cls as any).fromPretrained(modelFolder(folder), { onWarning: () => {} }));
  }
  return loaded.get(folder)!;
}

/** A generate case as (inputIds, options) for generate(). */
export function generateArgs(c: any): { inputIds: Tensor; options: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.generation_kwargs)) options[camel(k)] = v;
  if (c.inputs.attention_mask) options.attentionMask = fromFixture(c.inputs.attention_mask);
  return { inputIds: fromFixture(c.inputs.input_ids), options };
}

export function generateCases(folder: string): any[] {
  return loadCases(folder).cases.filter((c: any) => c.kind === 'generate');
}

/** Rows of an int32 [rows, length] tensor. */
export function rowsOf(t: Tensor): number[][] {
  return t.toArray() as number[][];
}
