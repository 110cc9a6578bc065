// Shared helpers for the tokenizer tests: where the reference fixtures are, and how a
// reftok-cases/1 case runs against a Tokenizer.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Tokenizer } from '../../src/tokenizers/index.js';

export const FIXTURES = resolve(process.cwd(), '../shared/fixtures/tokenizers');
export const TOKENIZER_DIRS = ['gpt2', 'bert-base-uncased', 't5-unigram'] as const;

export interface Case {
  id: string;
  kind: 'encode' | 'batch' | 'decode';
  input: Record<string, any>;
  expected: Record<string, any>;
}

/** Where hidden cases may be: $KOTOBA_HIDDEN_FIXTURES, or a hidden/ tree beside or inside shared/. */
const HIDDEN_ROOTS = [
  process.env.KOTOBA_HIDDEN_FIXTURES,
  resolve(process.cwd(), '../hidden/fixtures/tokenizers'),
  resolve(process.cwd(), '../shared/hidden/fixtures/tokenizers'),
].filter((r): r is string => r !== undefined);

/** The public cases, plus hidden ones when a hidden fixture tree is present. */
export function loadCases(dir: string): Case[] {
  const files = [resolve(FIXTURES, dir, 'cases.json'), ...HIDDEN_ROOTS.map((root) => resolve(root, dir, 'cases.json'))];
  return [...new Set(files)].filter((f) => existsSync(f)).flatMap((f) => JSON.parse(readFileSync(f, 'utf8')).cases as Case[]);
}

export function fixtureFile(dir: string, name: string): string {
  return resolve(FIXTURES, dir, name);
}

/** Runs a case and returns its result in the fixtures' field names. */
export function runCase(tok: Tokenizer, c: Case): Record<string, any> {
  const inp = c.input;
  if (c.kind === 'decode') return { decode: tok.decode(inp.ids, false), decode_skip_special: tok.decode(inp.ids, true) };
  const items = c.kind === 'batch' ? inp.texts : [inp.text_pair !== undefined ? [inp.text, inp.text_pair] : inp.text];
  const t = inp.truncation;
  const p = inp.padding;
  const encodings = tok.encodeBatch(items, {
    addSpecialTokens: inp.add_special_tokens,
    truncation: t ? { maxLength: t.max_length, strategy: t.strategy, direction: t.direction } : null,
    padding: p
      ? { strategy: p.strategy, length: p.length, padToMultipleOf: p.pad_to_multiple_of, direction: p.direction, padId: p.pad_id, padToken: p.pad_token, padTypeId: p.pad_type_id }
      : null,
  });
  const fields = encodings.map((e) => ({
    ids: e.ids,
    tokens: e.tokens,
    attention_mask: e.attentionMask,
    token_type_ids: e.typeIds,
    special_tokens_mask: e.specialTokensMask,
    offsets: e.offsets,
    word_ids: e.wordIds,
    sequence_ids: e.sequenceIds,
    decode: tok.decode(e.ids, false),
    decode_skip_special: tok.decode(e.ids, true),
  }));
  return c.kind === 'batch' ? { encodings: fields } : fields[0];
}

/** Only the expected fields, so that a case may omit some (e.g. offsets). */
export function pick(got: Record<string, any>, expected: Record<string, any>): Record<string, any> {
  if (expected.encodings) return { encodings: expected.encodings.map((e: any, i: number) => pick(got.encodings[i], e)) };
  return Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]));
}
