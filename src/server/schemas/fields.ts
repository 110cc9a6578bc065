/**
 * Reading one field of a JSON request body with its type and range checked. Every failure is a
 * 400 naming the field (OpenAI's `param`), what was expected and what came. Values come from
 * JSON.parse of untrusted input, so nothing here trusts a prototype or a length.
 */
import { invalid } from '../errors.js';

export type Body = Record<string, unknown>;

/** The request body as an object (a JSON array, string or number is not a request). */
export function asBody(raw: unknown): Body {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid(null, 'The request body must be a JSON object.');
  }
  return raw as Body;
}

/** A short, safe description of a received value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 40 ? 'a string' : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return Number.isFinite(v) ? `${v}` : 'a non-finite number';
  return `a ${typeof v}`;
}

/** Rejects fields the endpoint does not know (as OpenAI does), so typos are not silently ignored. */
export function rejectUnknown(body: Body, known: readonly string[], ignored: readonly string[] = []): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key) && !ignored.includes(key)) {
      throw invalid(key.length > 64 ? null : key, `Unrecognized request argument supplied: ${key.length > 64 ? `${key.slice(0, 64)}...` : key}`, 'unknown_parameter');
    }
  }
}

function has(body: Body, name: string): boolean {
  return Object.hasOwn(body, name) && body[name] !== null && body[name] !== undefined;
}

export function requiredString(body: Body, name: string, maxLength = 256): string {
  if (!has(body, name)) throw invalid(name, `Missing required parameter: '${name}'.`, 'missing_required_parameter');
  const v = body[name];
  if (typeof v !== 'string') throw invalid(name, `Invalid type for '${name}': expected a string, but got ${describe(v)}.`, 'invalid_type');
  if (v.length === 0 || v.length > maxLength) throw invalid(name, `Invalid '${name}': expected a string of 1 to ${maxLength} characters.`, 'invalid_value');
  return v;
}

export function optionalString(body: Body, name: string, maxLength: number): string | null {
  if (!has(body, name)) return null;
  const v = body[name];
  if (typeof v !== 'string') throw invalid(name, `Invalid type for '${name}': expected a string, but got ${describe(v)}.`, 'invalid_type');
  if (v.length > maxLength) throw invalid(name, `Invalid '${name}': string too long (at most ${maxLength} characters).`, 'string_above_max_length');
  return v;
}

export function optionalBoolean(body: Body, name: string, def: boolean): boolean {
  if (!has(body, name)) return def;
  const v = body[name];
  if (typeof v !== 'boolean') throw invalid(name, `Invalid type for '${name}': expected a boolean, but got ${describe(v)}.`, 'invalid_type');
  return v;
}

export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

/** A number within [min, max] (an integer when asked); absent or null gives the default. */
export function checkNumber(v: unknown, name: string, range: NumberRange): number {
  const kind = range.integer ? 'an integer' : 'a number';
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(name, `Invalid type for '${name}': expected ${kind}, but got ${describe(v)}.`, 'invalid_type');
  if (range.integer && !Number.isInteger(v)) throw invalid(name, `Invalid type for '${name}': expected an integer, but got ${v}.`, 'invalid_type');
  if (v < range.min) throw invalid(name, `Invalid '${name}': ${v} is less than the minimum of ${range.min}.`, 'invalid_value');
  if (v > range.max) throw invalid(name, `Invalid '${name}': ${v} is greater than the maximum of ${range.max}.`, 'invalid_value');
  return v;
}

export function optionalNumber(body: Body, name: string, range: NumberRange, def: number): number;
export function optionalNumber(body: Body, name: string, range: NumberRange, def: null): number | null;
export function optionalNumber(body: Body, name: string, range: NumberRange, def: number | null): number | null {
  if (!has(body, name)) return def;
  return checkNumber(body[name], name, range);
}

/** `stop`: a string or up to 4 strings (null or absent: none). */
export function stopSequences(body: Body, name = 'stop'): string[] {
  if (!has(body, name)) return [];
  const v = body[name];
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) throw invalid(name, `Invalid type for '${name}': expected a string or an array of strings, but got ${describe(v)}.`, 'invalid_type');
  if (list.length > 4) throw invalid(name, `Invalid '${name}': at most 4 stop sequences, got ${list.length}.`, 'array_above_max_length');
  return list.map((s, i) => {
    if (typeof s !== 'string') throw invalid(`${name}[${i}]`, `Invalid type for '${name}[${i}]': expected a string, but got ${describe(s)}.`, 'invalid_type');
    if (s.length === 0 || s.length > 256) throw invalid(`${name}[${i}]`, `Invalid '${name}[${i}]': a stop sequence has 1 to 256 characters.`, 'invalid_value');
    return s;
  });
}

/** `logit_bias`: { "token id": bias in [-100, 100] }, at most 300 entries. */
export function logitBias(body: Body, vocabSize: number): Record<number, number> {
  const name = 'logit_bias';
  if (!has(body, name)) return {};
  const v = body[name];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(name, `Invalid type for '${name}': expected an object mapping token ids to numbers, but got ${describe(v)}.`, 'invalid_type');
  const keys = Object.keys(v);
  if (keys.length > 300) throw invalid(name, `Invalid '${name}': at most 300 entries, got ${keys.length}.`, 'invalid_value');
  const out: Record<number, number> = {};
  for (const key of keys) {
    const id = /^\d{1,9}$/.test(key) ? Number(key) : NaN;
    if (!(id < vocabSize)) throw invalid(name, `Invalid '${name}': key ${JSON.stringify(key.slice(0, 20))} is not a token id of this model (0 to ${vocabSize - 1}).`, 'invalid_value');
    out[id] = checkNumber((v as Body)[key], `${name}.${id}`, { min: -100, max: 100 });
  }
  return out;
}

/** A list of token ids, each an integer in [0, vocabSize). */
export function tokenIds(v: unknown[], name: string, vocabSize: number): number[] {
  return v.map((t, i) => {
    if (typeof t !== 'number' || !Number.isInteger(t)) throw invalid(name, `Invalid '${name}': element ${i} is ${describe(t)}, expected an integer token id.`, 'invalid_type');
    if (t < 0 || t >= vocabSize) throw invalid(name, `Invalid '${name}': token id ${t} is outside this model's vocabulary (0 to ${vocabSize - 1}).`, 'invalid_value');
    return t;
  });
}

/**
 * A prompt or embedding input in its four forms: a string, an array of strings, an array of
 * token ids, or an array of arrays of token ids. Returns the list of inputs.
 */
export function textOrTokens(v: unknown, name: string, vocabSize: number, maxItems: number): (string | number[])[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw invalid(name, `Invalid type for '${name}': expected a string, an array of strings, an array of token ids or an array of arrays of token ids, but got ${describe(v)}.`, 'invalid_type');
  if (v.length === 0) throw invalid(name, `Invalid '${name}': the array is empty.`, 'empty_array');
  if (typeof v[0] === 'number') return [tokenIds(v, name, vocabSize)];
  if (v.length > maxItems) throw invalid(name, `Invalid '${name}': at most ${maxItems} inputs in one request, got ${v.length}.`, 'array_above_max_length');
  if (typeof v[0] === 'string') {
    return v.map((s, i) => {
      if (typeof s !== 'string') throw invalid(name, `Invalid '${name}': element ${i} is ${describe(s)}; an array of strings must hold only strings.`, 'invalid_type');
      return s;
    });
  }
  return v.map((a, i) => {
    if (!Array.isArray(a)) throw invalid(name, `Invalid '${name}': element ${i} is ${describe(a)}; expected an array of token ids.`, 'invalid_type');
    if (a.length === 0) throw invalid(name, `Invalid '${name}': element ${i} is an empty token array.`, 'invalid_value');
    return tokenIds(a, `${name}`, vocabSize);
  });
}
