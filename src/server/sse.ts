/**
 * Server-Sent Events as OpenAI streams them: one `data: <json>` event per chunk and a final
 * `data: [DONE]`. The stream owns the raw response (fastify's reply is hijacked).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ApiError } from './errors.js';

export class SseStream {
  private readonly res: ServerResponse;
  private closed = false;

  constructor(reply: FastifyReply) {
    reply.hijack();
    this.res = reply.raw;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // proxies must not buffer the stream
    });
    this.res.flushHeaders();
  }

  /** Whether the client is still there to read. */
  get open(): boolean {
    return !this.closed && !this.res.destroyed && this.res.writable;
  }

  send(data: unknown): void {
    if (this.open) this.res.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the stream with `data: [DONE]`. */
  done(): void {
    if (this.open) this.res.end('data: [DONE]\n\n');
    this.closed = true;
  }

  /** A failure after the stream began: an error event (the openai client raises it as APIError), then the end. */
  fail(err: ApiError): void {
    this.send(err.toJSON());
    this.done();
  }
}

/**
 * A signal that aborts when the client goes away before the response is complete (the socket
 * closes), so work for a reader who left stops.
 */
export function disconnectSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new DOMException('The client closed the connection.', 'AbortError'));
  });
  return controller.signal;
}
