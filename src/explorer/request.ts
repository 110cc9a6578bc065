/** Reading the explorer API's JSON bodies: each field checked, with a message naming it. */
import { OptionError } from '../errors.js';

export type Body = Record<string, unknown>;

export function asBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new OptionError('the request body must be a JSON object');
  return body as Body;
}

export function str(body: Body, key: string, required: true): string;
export function str(body: Body, key: string, required?: false): string | undefined;
export function str(body: Body, key: string, required = false): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new OptionError(`"${key}" is required (a string)`);
    return undefined;
  }
  if (typeof v !== 'string') throw new OptionError(`"${key}" must be a string`);
  if (v.length > 20_000) throw new OptionError(`"${key}" is longer than 20000 characters`);
  return v;
}

export function num(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new OptionError(`"${key}" must be a number`);
  return v;
}

export function bool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new OptionError(`"${key}" must be true or false`);
  return v;
}

export function ids(body: Body, key: string): number[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > 4096 || !v.every((x) => Number.isInteger(x))) throw new OptionError(`"${key}" must be an array of integer token ids`);
  return v as number[];
}
