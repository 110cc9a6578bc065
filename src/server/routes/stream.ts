/**
 * The streaming half of completions and chat: the SSE stream opens when the request leaves the
 * queue (so a full queue or a queue timeout is still an ordinary JSON error with its status),
 * chunks flow as the engine produces them, and the stream ends with data: [DONE]. A failure
 * after the stream opened becomes an error event; a client that left gets nothing more, and its
 * generations are aborted through the disconnect signal.
 */
import type { FastifyReply } from 'fastify';
import type { CompletionChunk, CompletionParams, CompletionResult } from '../engine.js';
import { ApiError, internalError } from '../errors.js';
import type { ReadyModel } from '../registry.js';
import { usage, type Usage } from '../responses.js';
import { SseStream } from '../sse.js';
import { runGenerations } from './common.js';

export interface ChunkShapes {
  chunk: (k: number, c: CompletionChunk) => unknown;
  /** The event that closes generation k (its finish_reason). */
  finish: (k: number, result: CompletionResult) => unknown;
  /** With stream_options.include_usage: the last event, with usage and no choices. */
  usage: ((u: Usage) => unknown) | null;
  /** Sent first for each generation (chat's role delta). */
  start?: (k: number) => unknown;
  /** Which prompt generation k completes (its prompt tokens count once in usage). */
  promptIndex: (k: number) => number;
}

export async function streamResponse(
  reply: FastifyReply, model: ReadyModel, client: string, signal: AbortSignal,
  params: readonly CompletionParams[], shapes: ChunkShapes,
): Promise<void> {
  let sse: SseStream | null = null;
  try {
    await model.scheduler.run(client, signal, async (s) => {
      sse = new SseStream(reply);
      const stream = sse;
      if (shapes.start) params.forEach((_, k) => stream.send(shapes.start!(k)));
      const finished: CompletionResult[] = [];
      await runGenerations(model, params, s, (k, c) => stream.send(shapes.chunk(k, c))).then((results) => {
        results.forEach((res, k) => { stream.send(shapes.finish(k, res)); finished.push(res); });
      });
      if (shapes.usage) {
        const completionTokens = finished.reduce((sum, r) => sum + r.completionTokens, 0);
        stream.send(shapes.usage(usage(promptTokens(finished, shapes.promptIndex), completionTokens)));
      }
      stream.done();
    });
  } catch (err) {
    const stream = sse as SseStream | null;
    if (stream === null) throw err; // not streaming yet: the error handler answers with JSON
    if (signal.aborted) return; // the client left: nobody to tell
    if (!(err instanceof ApiError)) reply.log.error({ err }, 'generation failed during a stream');
    stream.fail(err instanceof ApiError ? err : internalError());
  }
}

/** Prompt tokens counted once per prompt (n completions of one prompt share it). */
function promptTokens(results: readonly CompletionResult[], promptIndex: (k: number) => number): number {
  const seen = new Set<number>();
  let total = 0;
  results.forEach((r, k) => {
    if (seen.has(promptIndex(k))) return;
    seen.add(promptIndex(k));
    total += r.promptTokens;
  });
  return total;
}
