/** POST /v1/chat/completions: the request body, validated field by field. */
import { invalid } from '../errors.js';
import type { ChatMessage, ModelInfo } from '../engine.js';
import { type Body, describe, logitBias, optionalBoolean, optionalNumber, optionalString, rejectUnknown, stopSequences } from './fields.js';
import { sampling, streamOptions, type Sampling } from './sampling.js';

export interface ChatRequest extends Sampling {
  model: string;
  messages: ChatMessage[];
  /** null: until the model's context is full. */
  maxTokens: number | null;
  n: number;
  stream: boolean;
  includeUsage: boolean;
  logprobs: boolean;
  topLogprobs: number;
  user: string | null;
}

const KNOWN = [
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stream', 'stream_options', 'stop',
  'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'seed', 'user', 'response_format',
  'tools', 'tool_choice', 'functions', 'function_call', 'parallel_tool_calls',
];
/** Accepted and ignored: they change nothing about how a local model answers. */
const IGNORED = ['store', 'metadata', 'service_tier', 'prompt_cache_key', 'safety_identifier'];
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const MAX_MESSAGES = 2048;
const MAX_CONTENT = 1_000_000;

/** A message's content: a string, or an array of text parts (other part types are not supported). */
function content(v: unknown, at: string, role: string): string {
  if (typeof v === 'string') return v;
  if ((v === null || v === undefined) && role === 'assistant') return '';
  if (!Array.isArray(v)) throw invalid(at, `Invalid type for '${at}': expected a string or an array of content parts, but got ${describe(v)}.`, 'invalid_type');
  let text = '';
  v.forEach((part: unknown, i) => {
    const p = part as Body | null;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalid(`${at}[${i}]`, `Invalid '${at}[${i}]': expected a content part object, but got ${describe(part)}.`, 'invalid_type');
    if (p['type'] !== 'text') throw invalid(`${at}[${i}].type`, `Invalid '${at}[${i}].type': this server supports only 'text' content parts.`, 'invalid_value');
    if (typeof p['text'] !== 'string') throw invalid(`${at}[${i}].text`, `Invalid type for '${at}[${i}].text': expected a string, but got ${describe(p['text'])}.`, 'invalid_type');
    text += p['text'];
  });
  return text;
}

function messages(body: Body): ChatMessage[] {
  const v = body['messages'];
  if (v === undefined || v === null) throw invalid('messages', "Missing required parameter: 'messages'.", 'missing_required_parameter');
  if (!Array.isArray(v)) throw invalid('messages', `Invalid type for 'messages': expected an array of messages, but got ${describe(v)}.`, 'invalid_type');
  if (v.length === 0) throw invalid('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'empty_array');
  if (v.length > MAX_MESSAGES) throw invalid('messages', `Invalid 'messages': at most ${MAX_MESSAGES} messages, got ${v.length}.`, 'array_above_max_length');
  let total = 0;
  return v.map((m: unknown, i) => {
    const at = `messages[${i}]`;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw invalid(at, `Invalid type for '${at}': expected a message object, but got ${describe(m)}.`, 'invalid_type');
    const msg = m as Body;
    const role = msg['role'];
    if (typeof role !== 'string' || !ROLES.includes(role)) {
      throw invalid(`${at}.role`, `Invalid '${at}.role': expected one of ${ROLES.join(', ')}, but got ${describe(role)}.`, 'invalid_value');
    }
    const text = content(msg['content'], `${at}.content`, role);
    total += text.length;
    if (total > MAX_CONTENT) throw invalid('messages', `Invalid 'messages': more than ${MAX_CONTENT} characters of content.`, 'string_above_max_length');
    const name = optionalString(msg, 'name', 64);
    return name === null ? { role, content: text } : { role, content: text, name };
  });
}

/** Tools and structured output need a model trained for them: refuse rather than ignore. */
function unsupported(body: Body): void {
  for (const key of ['tools', 'functions']) {
    const v = body[key];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) throw invalid(key, `'${key}' is not supported by this server's models.`, 'unsupported_parameter');
  }
  for (const key of ['tool_choice', 'function_call']) {
    const v = body[key];
    if (v !== undefined && v !== null && v !== 'none' && v !== 'auto') throw invalid(key, `'${key}' is not supported by this server's models.`, 'unsupported_parameter');
  }
  optionalBoolean(body, 'parallel_tool_calls', false);
  const format = body['response_format'];
  if (format !== undefined && format !== null) {
    if (typeof format !== 'object' || Array.isArray(format) || (format as Body)['type'] !== 'text') {
      throw invalid('response_format', "Invalid 'response_format': only { \"type\": \"text\" } is supported.", 'unsupported_parameter');
    }
  }
}

export function parseChatRequest(body: Body, model: string, info: ModelInfo): ChatRequest {
  rejectUnknown(body, KNOWN, IGNORED);
  unsupported(body);
  const range = { min: 0, max: info.contextLength, integer: true };
  const maxTokens = optionalNumber(body, 'max_completion_tokens', range, null) ?? optionalNumber(body, 'max_tokens', range, null);
  const stream = optionalBoolean(body, 'stream', false);
  const logprobs = optionalBoolean(body, 'logprobs', false);
  const topLogprobs = optionalNumber(body, 'top_logprobs', { min: 0, max: 20, integer: true }, null);
  if (topLogprobs !== null && !logprobs) throw invalid('top_logprobs', "Invalid 'top_logprobs': 'logprobs' must be true to use it.", 'invalid_value');
  return {
    model,
    messages: messages(body),
    maxTokens,
    n: optionalNumber(body, 'n', { min: 1, max: 128, integer: true }, 1),
    stream,
    includeUsage: streamOptions(body, stream),
    logprobs,
    topLogprobs: topLogprobs ?? 0,
    user: optionalString(body, 'user', 256),
    ...sampling(body),
    stop: stopSequences(body),
    logitBias: logitBias(body, info.vocabSize),
  };
}
