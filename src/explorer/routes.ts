/**
 * The explorer over HTTP: the page at / and /explorer/, its compiled modules under
 * /explorer/assets/, and the JSON API under /explorer/api/:
 *
 *   GET  /explorer/api/models           { models: [{ name }] }
 *   GET  /explorer/api/models/:name     ModelSummary (loads the model)
 *   POST /explorer/api/inspect          { model, text, temperature?, topK?, inputIds?, decoderText?, decoderInputIds? } -> Inspection
 *   POST /explorer/api/step             the same + { sample?, seed? } -> GenerationStep
 *
 * Errors answer { error: { message, type, param, code } } like the rest of Kotoba's server.
 * Everything the page loads comes from here: no CDN, works offline.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { KotobaError } from '../errors.js';
import { inspectModel, type InspectOptions } from './inspect.js';
import { ExplorerModels, UnknownModelError, type ExplorerModelSpec } from './models.js';
import { pageHtml } from './page.js';
import { asBody, bool, ids, num, str, type Body } from './request.js';
import { generateStep } from './step.js';
import { EXPLORER_CSS } from './styles.js';
import { describeModel } from './summary.js';

export interface ExplorerOptions {
  /** The models to offer (name -> folder or Hub id), or an ExplorerModels to share. */
  models: readonly ExplorerModelSpec[] | ExplorerModels;
  /** Also serve the page at / (default true). */
  atRoot?: boolean;
  /** Where the compiled page modules are (default: web/ next to this file). */
  assetsDir?: URL;
}

const ASSET_NAME = /^[a-z][a-z0-9-]*\.mjs(\.map)?$/;

function fail(reply: FastifyReply, status: number, message: string, code: string | null = null): FastifyReply {
  return reply.code(status).send({ error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code } });
}

/** Runs an API handler: user errors become 400/404 with their message, anything else 500. */
async function answer(reply: FastifyReply, work: () => Promise<unknown>): Promise<FastifyReply> {
  try {
    return reply.send(await work());
  } catch (err) {
    if (err instanceof UnknownModelError) return fail(reply, 404, err.message, 'model_not_found');
    if (err instanceof KotobaError) return fail(reply, 400, err.message);
    reply.log.error({ err }, 'explorer request failed');
    return fail(reply, 500, 'The explorer had an error while processing your request.', 'internal_error');
  }
}

/** The page's compiled modules ([] when the page was not built: the asset route then explains). */
function listModules(dir: URL): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.mjs') && ASSET_NAME.test(f)).sort();
  } catch {
    return [];
  }
}

function inspectOptions(body: Body, name: string): InspectOptions {
  return {
    name,
    inputIds: ids(body, 'inputIds'),
    decoderText: str(body, 'decoderText'),
    decoderInputIds: ids(body, 'decoderInputIds'),
    temperature: num(body, 'temperature'),
    topK: num(body, 'topK'),
  };
}

/** Adds the explorer's routes to a fastify app (Kotoba's server calls this; so can any fastify app). */
export function registerExplorer(app: FastifyInstance, options: ExplorerOptions): ExplorerModels {
  const models = options.models instanceof ExplorerModels ? options.models : new ExplorerModels(options.models, (m) => app.log.warn(m));
  const assets = options.assetsDir ?? new URL('./web/', import.meta.url);
  const modules = listModules(assets);
  const page = (_req: unknown, reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(pageHtml({ modules, models: models.names() }));

  if (options.atRoot ?? true) app.get('/', page);
  app.get('/explorer', (_req, reply) => reply.redirect('/explorer/'));
  app.get('/explorer/', page);
  app.get('/explorer/assets/explorer.css', (_req, reply) => reply.type('text/css; charset=utf-8').send(EXPLORER_CSS));
  app.get<{ Params: { file: string } }>('/explorer/assets/:file', async (req, reply) => {
    const file = req.params.file;
    if (!ASSET_NAME.test(file)) return fail(reply, 404, `no asset ${file}`);
    try {
      const body = await readFile(new URL(file, assets));
      return reply.type(file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8').send(body);
    } catch {
      return fail(reply, 404, `no asset ${file} (was the page built? npm run build compiles src/explorer/web)`);
    }
  });

  app.get('/explorer/api/models', async () => ({ models: models.names().map((name) => ({ name })) }));
  app.get<{ Params: { name: string } }>('/explorer/api/models/:name', (req, reply) =>
    answer(reply, async () => {
      const m = await models.get(req.params.name);
      return describeModel(m.model, m.tokenizer, m.name);
    }));
  app.post('/explorer/api/inspect', (req, reply) =>
    answer(reply, async () => {
      const body = asBody(req.body);
      const m = await models.get(str(body, 'model', true));
      return inspectModel(m.model, m.tokenizer, str(body, 'text') ?? '', inspectOptions(body, m.name));
    }));
  app.post('/explorer/api/step', (req, reply) =>
    answer(reply, async () => {
      const body = asBody(req.body);
      const m = await models.get(str(body, 'model', true));
      return generateStep(m.model, m.tokenizer, str(body, 'text') ?? '', { ...inspectOptions(body, m.name), sample: bool(body, 'sample'), seed: num(body, 'seed') });
    }));
  return models;
}
