/**
 * `kotoba tokenize <model> "text"`: the tokens and ids a model's tokenizer gives for a text
 * (special tokens included unless --no-special-tokens); --json adds the character offsets.
 * The model is a shipped model's name, a model or tokenizer folder, or a Hub id.
 */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoTokenizer } from '../tokenizers/index.js';
import { resolveModelName } from '../models/shipped.js';
import { modelFolder } from './generate.js';

export interface TokenizeFlags {
  json?: boolean;
  specialTokens: boolean;
}

export interface Tokenization {
  tokens: string[];
  ids: number[];
  /** [start, end) UTF-16 offsets into the text; special tokens have [0, 0]. */
  offsets: [number, number][];
  /** 1 for special tokens. */
  specialTokensMask: number[];
}

export async function tokenizeText(model: string, text: string, addSpecialTokens: boolean): Promise<Tokenization> {
  const location = resolveModelName(model);
  // a folder holding only tokenizer files is fine; a Hub id fetches the tokenizer files only
  const folder = existsSync(location) && statSync(location).isDirectory() ? resolve(location) : await modelFolder(model, 'tokenize', { weights: false });
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const out = tokenizer.call(text, { addSpecialTokens });
  const encoding = out.encodings[0];
  return {
    tokens: encoding.tokens,
    ids: out.inputIds as number[],
    offsets: out.offsets as [number, number][],
    specialTokensMask: out.specialTokensMask as number[],
  };
}

/** The plain report: one line per token (index, id, token, the text it covers), then the ids. */
export function tokenizationReport(t: Tokenization, text: string): string {
  const idWidth = Math.max(2, ...t.ids.map((id) => String(id).length));
  const lines = [`${t.ids.length} token${t.ids.length === 1 ? '' : 's'}`];
  t.tokens.forEach((token, i) => {
    const [start, end] = t.offsets[i];
    const covers = t.specialTokensMask[i] ? '(special)' : JSON.stringify(text.slice(start, end));
    lines.push(`${String(i).padStart(4)}  ${String(t.ids[i]).padStart(idWidth)}  ${JSON.stringify(token).padEnd(16)} ${covers}`);
  });
  lines.push(`ids: ${t.ids.join(' ')}`);
  return lines.join('\n');
}

/** Adds the `tokenize` command to the kotoba program. */
export function registerTokenizeCommand(program: Command): void {
  program
    .command('tokenize')
    .description("print the tokens and ids of a text with a model's tokenizer")
    .argument('<model>', 'a shipped model name, a model or tokenizer folder, or a Hub id')
    .argument('<text>', 'the text')
    .option('--json', 'print JSON: { tokens, ids, offsets, specialTokensMask } (offsets: [start, end) in UTF-16 units)')
    .option('--no-special-tokens', 'leave out the special tokens the tokenizer adds (e.g. [CLS] ... [SEP], </s>)')
    .action(async (model: string, text: string, flags: TokenizeFlags) => {
      const t = await tokenizeText(model, text, flags.specialTokens);
      console.log(flags.json ? JSON.stringify(t) : tokenizationReport(t, text));
    });
}
