/** POST /v1/embeddings: the request body, validated field by field. */
import { invalid } from '../errors.js';
import type { ModelInfo } from '../engine.js';
import { type Body, optionalNumber, optionalString, rejectUnknown, textOrTokens } from './fields.js';

export interface EmbeddingRequest {
  model: string;
  inputs: (string | number[])[];
  encodingFormat: 'float' | 'base64';
  user: string | null;
}

export function parseEmbeddingRequest(body: Body, model: string, info: ModelInfo): EmbeddingRequest {
  rejectUnknown(body, ['model', 'input', 'encoding_format', 'dimensions', 'user']);
  if (body['input'] === undefined || body['input'] === null) throw invalid('input', "Missing required parameter: 'input'.", 'missing_required_parameter');
  const inputs = textOrTokens(body['input'], 'input', info.vocabSize, 2048);
  inputs.forEach((x, i) => {
    if (x.length === 0) throw invalid('input', `Invalid 'input': element ${i} is empty.`, 'invalid_value');
  });
  const format = optionalString(body, 'encoding_format', 16) ?? 'float';
  if (format !== 'float' && format !== 'base64') throw invalid('encoding_format', "Invalid 'encoding_format': expected 'float' or 'base64'.", 'invalid_value');
  // dimensions shortens embeddings of models trained for it (Matryoshka); ours are not, so only the full size is accepted
  const dims = optionalNumber(body, 'dimensions', { min: 1, max: 1_000_000, integer: true }, null);
  if (dims !== null && dims !== info.hiddenSize) {
    throw invalid('dimensions', `Invalid 'dimensions': model '${model}' gives embeddings of ${info.hiddenSize} dimensions and cannot shorten them.`, 'unsupported_parameter');
  }
  return { model, inputs, encodingFormat: format, user: optionalString(body, 'user', 256) };
}
