/**
 * `kotoba explore <model...>`: Kotoba's server for one or more models, with the explorer page
 * at /; prints the URL (and opens a browser with --open). The page, its scripts and the API
 * are all served locally; nothing is fetched from the network.
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { registerExplorer } from '../explorer/routes.js';
import { resolveModelPath } from '../hub/index.js';
import { createServer } from '../server/index.js';

export interface ExploreOptions {
  host?: string;
  port?: string;
  open?: boolean;
}

/**
 * Starts Kotoba's server (the OpenAI API too) with the models and the explorer; resolves with
 * the page's URL and a close function.
 */
export async function startExplorer(models: string[], options: ExploreOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const port = Number(options.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError(`explore: --port must be 0..65535, got ${options.port}`);
  // name each model after its folder (or Hub id), made unique; Hub ids are fetched first
  const names = new Set<string>();
  const specs = await Promise.all(models.map(async (given) => {
    let name = basename(given.replace(/\/+$/, '')) || given;
    for (let i = 2; names.has(name); i++) name = `${basename(given)}-${i}`;
    names.add(name);
    return { name, folder: await resolveModelPath(given) };
  }));
  const server = createServer({ models: specs });
  // the server may mount the explorer itself; otherwise mount it here
  const host = options.host ?? '127.0.0.1';
  try {
    const explorer = server.app.hasRoute({ method: 'GET', url: '/explorer/api/models' }) ? null : registerExplorer(server.app, { models: specs });
    // load the first model now, so the page opens without waiting for it; and the API's models
    await explorer?.get(specs[0].name);
    await server.loaded;
    await server.app.listen({ host, port });
  } catch (err) {
    // the server's model workers would keep the process alive
    await server.close();
    throw err;
  }
  const address = server.app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/`, close: () => server.close() };
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => console.error(`could not start ${command}; open ${url} yourself`));
  child.unref();
}

/** Adds the `explore` command to the kotoba program. */
export function registerExploreCommand(program: Command): void {
  program
    .command('explore')
    .description('open the explorer: a web page showing tokens, attention, hidden states and predictions of a model')
    .argument('<models...>', 'model folders or Hub ids')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free port)', '8080')
    .option('--open', 'open the page in a browser')
    .action(async (models: string[], opts: ExploreOptions) => {
      const server = await startExplorer(models, opts);
      console.log(`Kotoba explorer: ${server.url}  (Ctrl+C to stop)`);
      if (opts.open) openBrowser(server.url);
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
