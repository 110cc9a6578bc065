/** What the generating routes share: finding the model, naming the client, running generations. */
import type { FastifyRequest } from 'fastify';
import type { CompletionChunk, CompletionParams, CompletionResult } from '../engine.js';
import { invalid } from '../errors.js';
import type { ModelRegistry, ReadyModel } from '../registry.js';
import { type Body, requiredString } from '../schemas/fields.js';

/** The `model` field (or the engine of a legacy URL), resolved to a ready model: 404 / 503 otherwise. */
export function readyModel(registry: ModelRegistry, body: Body, fromUrl: string | null = null): ReadyModel {
  const name = fromUrl ?? requiredString(body, 'model');
  return registry.ready(name);
}

/** Only decoders and encoder-decoders generate text. */
export function assertGenerates(model: ReadyModel): void {
  if (model.info.kind === 'encoder') {
    throw invalid('model', `The model '${model.name}' is an encoder (${model.info.architecture}) and cannot generate text; use it with /v1/embeddings.`, 'model_not_supported');
  }
}

/** Who a request counts against in the fair queue: its `user` field, else its address. */
export function clientKey(req: FastifyRequest, user: string | null): string {
  return user !== null && user !== '' ? `user:${user}` : `ip:${req.ip}`;
}

/**
 * Runs several generations of one request together (the worker interleaves them); the first
 * failure aborts the others. onChunk receives the generation's position in `params`.
 */
export async function runGenerations(
  model: ReadyModel,
  params: readonly CompletionParams[],
  signal: AbortSignal,
  onChunk: (k: number, chunk: CompletionChunk) => void = () => {},
): Promise<CompletionResult[]> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.all(params.map((p, k) =>
      model.engine.complete(p, (c) => onChunk(k, c), controller.signal).catch((err: unknown) => {
        controller.abort(err);
        throw err;
      })));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Sum of the generated tokens' logprobs: how best_of ranks candidates. */
export function totalLogprob(result: CompletionResult): number {
  return result.tokens.reduce((s, t) => s + (t.logprob ?? 0), 0);
}
