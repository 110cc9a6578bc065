/**
 * The HTTP server: a fastify app with OpenAI's routes, its error objects for every failure
 * (bad JSON, oversized bodies, unknown routes, missing keys), and a registry of models whose
 * work runs in worker threads. Stateless: any number can run behind a load balancer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Engine } from './engine.js';
import { ApiError, internalError, invalid, unauthorized } from './errors.js';
import { type ModelSpec, ModelRegistry } from './registry.js';
import { registerChat } from './routes/chat.js';
import { registerCompletions } from './routes/completions.js';
import { registerEmbeddings } from './routes/embeddings.js';
import { registerHealth, registerModels } from './routes/models.js';
import { WorkerEngine, WorkerHost } from './worker-pool.js';
import { registerExplorer } from '../explorer/routes.js';

export interface ServerOptions {
  /** The models to serve: API name -> model folder. */
  models: readonly ModelSpec[];
  /** When set, every request but /health needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string | null;
  /** Largest request body in bytes (default 4 MiB); larger is 413. */
  bodyLimit?: number;
  /** Requests of one model running at once (default 16); the worker batches them. */
  concurrency?: number;
  /** Requests of one model that may wait (default 64); more are 429. */
  maxQueued?: number;
  /** Deadline of each request, queue wait included (default 120 s). */
  timeoutMs?: number;
  /** Most generations the worker batches together (default 16). */
  maxBatch?: number;
  /** How a model is run (default: a WorkerEngine; one worker thread hosts every model). */
  engineFactory?: (spec: ModelSpec) => Engine;
  /** Log requests and errors (fastify's logger); default false. */
  logger?: boolean;
}

export interface KotobaServer {
  app: FastifyInstance;
  registry: ModelRegistry;
  /** Settles when every model has loaded or failed. */
  loaded: Promise<void>;
  close(): Promise<void>;
}

/** Any thrown value as the ApiError to answer with (unexpected ones become a bare 500). */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as Partial<FastifyError>;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError(413, 'The request body is too large.', 'invalid_request_error', null, 'request_too_large');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError(e.statusCode, typeof e.message === 'string' ? e.message.slice(0, 500) : 'Bad request.', 'invalid_request_error', null, null);
  }
  return internalError();
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Every body is read as JSON, whatever its content type (as OpenAI does), with OpenAI's errors. */
function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw invalid(null, 'The request body is empty; expected a JSON object.');
  let text: string;
  try {
    text = fatalUtf8.decode(body);
  } catch {
    throw invalid(null, 'The request body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch {
    // also catches RangeError from absurdly deep nesting
    throw invalid(null, 'We could not parse the JSON body of your request. Send a JSON object with Content-Type: application/json.');
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function authHook(apiKey: string) {
  const expected = digest(apiKey);
  return async (req: { url: string; method: string; headers: Record<string, string | string[] | undefined> }) => {
    const path = req.url.split('?')[0];
    if (path === '/health') return;
    // the explorer page and its scripts are public; the page asks for the key before calling the API
    if (req.method === 'GET' && (path === '/' || path === '/explorer' || path === '/explorer/' || path.startsWith('/explorer/assets/'))) return;
    const header = req.headers['authorization'];
    if (typeof header !== 'string' || !/^Bearer\s+\S/i.test(header)) {
      throw unauthorized("You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'.");
    }
    if (!timingSafeEqual(digest(header.replace(/^Bearer\s+/i, '').trim()), expected)) {
      throw unauthorized('Incorrect API key provided.');
    }
  };
}

export function createServer(options: ServerOptions): KotobaServer {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  const host = new WorkerHost({ maxBatch: options.maxBatch });
  const registry = new ModelRegistry(options.models, options.engineFactory ?? (() => new WorkerEngine(host)), {
    concurrency: options.concurrency ?? 16,
    maxQueued: options.maxQueued ?? 64,
    timeoutMs: options.timeoutMs ?? 120_000,
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.setErrorHandler((err, req, reply) => {
    // the client left (its abort reached the work): there is nobody to answer
    if (reply.raw.destroyed) return;
    const api = toApiError(err);
    if (api.status >= 500 && !(err instanceof ApiError) && (err as Error | null)?.name !== 'AbortError') req.log.error({ err }, 'request failed');
    if (reply.sent || reply.raw.headersSent) return;
    if (api.retryAfter !== null) reply.header('retry-after', String(api.retryAfter));
    reply.code(api.status).send(api.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0].slice(0, 200);
    reply.code(404).send(new ApiError(404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error').toJSON());
  });
  if (options.apiKey) app.addHook('onRequest', authHook(options.apiKey));

  registerHealth(app, registry);
  registerModels(app, registry);
  registerCompletions(app, registry);
  registerChat(app, registry);
  registerEmbeddings(app, registry);
  registerExplorer(app, { models: options.models });

  const loaded = registry.loadAll((name, err) => app.log.error({ err }, `model ${name} failed to load`));
  return {
    app, registry, loaded,
    async close() {
      await app.close();
      await registry.close();
    },
  };
}

export interface StartOptions extends ServerOptions {
  host?: string;
  port?: number;
}

/** Creates the server and listens (127.0.0.1:8080 unless told otherwise); models load in the background. */
export async function startServer(options: StartOptions): Promise<KotobaServer & { url: string }> {
  const server = createServer(options);
  const host = options.host ?? '127.0.0.1';
  await server.app.listen({ host, port: options.port ?? 8080 });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 8080;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { ...server, url: `http://${shownHost}:${port}` };
}
