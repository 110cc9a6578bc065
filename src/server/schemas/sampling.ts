/** The sampling fields completions and chat completions share. */
import { invalid } from '../errors.js';
import { type Body, describe, optionalBoolean, optionalNumber } from './fields.js';

export interface Sampling {
  temperature: number;
  topP: number;
  presencePenalty: number;
  frequencyPenalty: number;
  seed: number | null;
  stop: string[];
  logitBias: Record<number, number>;
}

export function sampling(body: Body): Omit<Sampling, 'stop' | 'logitBias'> {
  return {
    temperature: optionalNumber(body, 'temperature', { min: 0, max: 2 }, 1),
    topP: optionalNumber(body, 'top_p', { min: 0, max: 1 }, 1),
    presencePenalty: optionalNumber(body, 'presence_penalty', { min: -2, max: 2 }, 0),
    frequencyPenalty: optionalNumber(body, 'frequency_penalty', { min: -2, max: 2 }, 0),
    seed: optionalNumber(body, 'seed', { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, integer: true }, null),
  };
}

/** `stream_options: { include_usage }`: only allowed with stream: true. */
export function streamOptions(body: Body, stream: boolean): boolean {
  const v = body['stream_options'];
  if (v === undefined || v === null) return false;
  if (!stream) throw invalid('stream_options', "Invalid 'stream_options': only allowed when 'stream' is true.", 'invalid_value');
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid('stream_options', `Invalid type for 'stream_options': expected an object, but got ${describe(v)}.`, 'invalid_type');
  for (const key of Object.keys(v)) {
    if (key !== 'include_usage' && key !== 'include_obfuscation') throw invalid(`stream_options.${key.slice(0, 64)}`, `Unrecognized stream option: ${key.slice(0, 64)}`, 'unknown_parameter');
  }
  return optionalBoolean(v as Body, 'include_usage', false);
}
