/**
 * OpenAI's error object: every failed request answers `{ error: { message, type, param, code } }`
 * with the HTTP status OpenAI uses for the same failure, so the official clients raise the right
 * APIError subclass (BadRequestError, AuthenticationError, NotFoundError, RateLimitError, ...).
 */
import { KotobaError } from '../errors.js';

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A failure with its HTTP status and OpenAI's error fields. */
export class ApiError extends KotobaError {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    /** Seconds a client should wait before retrying (429, 503): sent as Retry-After. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  toJSON(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400: a field of the request is missing, of the wrong type or out of range. */
export function invalid(param: string | null, message: string, code: string | null = null): ApiError {
  return new ApiError(400, message, 'invalid_request_error', param, code);
}

export function modelNotFound(model: string): ApiError {
  return new ApiError(404, `The model '${model}' does not exist. GET /v1/models lists the models this server has.`, 'invalid_request_error', 'model', 'model_not_found');
}

export function unauthorized(message: string): ApiError {
  return new ApiError(401, message, 'invalid_request_error', null, 'invalid_api_key');
}

export function queueFull(model: string): ApiError {
  return new ApiError(429, `The queue for model '${model}' is full. Retry after a short wait.`, 'requests', null, 'rate_limit_exceeded', 1);
}

export function modelLoading(model: string): ApiError {
  return new ApiError(503, `The model '${model}' is still loading. Retry in a few seconds.`, 'server_error', null, 'model_loading', 2);
}

export function modelFailed(model: string): ApiError {
  return new ApiError(503, `The model '${model}' failed to load; see the server log.`, 'server_error', null, 'model_unavailable');
}

export function timedOut(seconds: number): ApiError {
  return new ApiError(504, `The request did not finish within the server's timeout of ${seconds} s.`, 'server_error', null, 'timeout');
}

export function internalError(): ApiError {
  return new ApiError(500, 'The server had an error while processing your request.', 'server_error', null, 'internal_error');
}

/** A plain-object error (as sent across worker threads) back into an ApiError. */
export function fromSerialized(e: { status?: unknown; message?: unknown; type?: unknown; param?: unknown; code?: unknown }): ApiError {
  const status = typeof e.status === 'number' ? e.status : 500;
  if (status >= 500 && status !== 503) return internalError();
  return new ApiError(status, String(e.message ?? 'error'), String(e.type ?? 'invalid_request_error'),
    typeof e.param === 'string' ? e.param : null, typeof e.code === 'string' ? e.code : null);
}
