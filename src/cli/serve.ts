/**
 * `kotoba serve`: the OpenAI-compatible server (src/server) on 127.0.0.1:8080 unless told
 * otherwise. Models are `--model name=folder` (a folder or a Hub id); without any, the shipped
 * models are served: every model folder under $KOTOBA_MODELS_DIR, or the package's models/.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { resolveModelPath } from '../hub/index.js';
import type { ModelSpec } from '../server/index.js';
import { shippedModelsDir } from '../models/shipped.js';

export { shippedModelsDir };

export interface ServeOptions {
  model?: string[];
  host?: string;
  port?: string;
  apiKey?: string;
  maxQueued?: string;
  concurrency?: string;
  timeout?: string;
  bodyLimit?: string;
  log?: boolean;
}

/** Every folder with a config.json under dir, named after the folder. */
export function shippedModels(dir = shippedModelsDir()): ModelSpec[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort()
    .filter((name) => statSync(join(dir, name)).isDirectory() && existsSync(join(dir, name, 'config.json')))
    .map((name) => ({ name, folder: join(dir, name) }));
}

/** `name=folder` (or just a folder: named after its last part). */
export function parseModelFlag(value: string): ModelSpec {
  const at = value.indexOf('=');
  const name = at > 0 ? value.slice(0, at) : value.replace(/\/+$/, '').split('/').pop() ?? value;
  const folder = at > 0 ? value.slice(at + 1) : value;
  if (!name || !folder) throw new OptionError(`serve: --model expects name=folder, got ${JSON.stringify(value)}`);
  return { name, folder };
}

function integer(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new OptionError(`serve: ${flag} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  return n;
}

/** Starts the server; resolves to its URL once it listens (the models go on loading). */
export async function runServe(options: ServeOptions): Promise<string> {
  const requested = (options.model ?? []).map(parseModelFlag);
  const names = new Set<string>();
  for (const m of requested) {
    if (names.has(m.name)) throw new OptionError(`serve: two models are named ${JSON.stringify(m.name)}; name them apart with --model name=folder`);
    names.add(m.name);
  }
  let models = requested;
  if (models.length === 0) {
    models = shippedModels();
    if (models.length === 0) throw new OptionError(`serve: no models to serve. Pass --model name=folder, or put model folders in ${shippedModelsDir()} (or $KOTOBA_MODELS_DIR).`);
  }
  // Hub ids are downloaded (or found in the cache) before the server starts
  const resolved = await Promise.all(models.map(async (m) => ({ name: m.name, folder: await resolveModelPath(m.folder) })));
  const { startServer } = await import('../server/index.js');
  const server = await startServer({
    models: resolved,
    host: options.host ?? '127.0.0.1',
    port: integer(options.port, '--port', 0, 65535) ?? 8080,
    apiKey: options.apiKey ?? process.env.KOTOBA_API_KEY ?? null,
    maxQueued: integer(options.maxQueued, '--max-queued', 0, 1_000_000),
    concurrency: integer(options.concurrency, '--concurrency', 1, 1024),
    timeoutMs: (integer(options.timeout, '--timeout', 1, 86_400) ?? 120) * 1000,
    bodyLimit: integer(options.bodyLimit, '--body-limit', 1024, 1 << 30),
    logger: options.log ?? false,
  });
  console.log(`kotoba: serving ${resolved.map((m) => m.name).join(', ')} at ${server.url}/v1 (OpenAI-compatible)`);
  void server.loaded.then(() => {
    for (const m of server.registry.list()) console.log(`kotoba: ${m.name}: ${m.state === 'ready' ? 'ready' : `failed to load: ${m.error}`}`);
  });
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server.url;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve models behind an OpenAI-compatible API (completions, chat, embeddings)')
    .option('--model <name=folder>', 'a model to serve (repeatable); a folder or a Hub id', (v: string, acc: string[] = []) => [...acc, v])
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port', '8080')
    .option('--api-key <key>', 'require "Authorization: Bearer <key>" (default: $KOTOBA_API_KEY, else none)')
    .option('--max-queued <n>', 'requests per model that may wait before 429', '64')
    .option('--concurrency <n>', 'requests per model running at once (batched)', '16')
    .option('--timeout <seconds>', 'deadline of each request, queue included', '120')
    .option('--body-limit <bytes>', 'largest request body (413 above)', String(4 * 1024 * 1024))
    .option('--log', 'log every request')
    .action(async (options: ServeOptions) => {
      await runServe(options);
    });
}
