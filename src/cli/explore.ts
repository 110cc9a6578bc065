/**
 * `kotoba explore <model...>`: serves the explorer page for one or more models at / and prints
 * its URL (and opens a browser with --open). The page, its scripts and the API are all served
 * locally; nothing is fetched from the network.
 */
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { Command } from 'commander';
import Fastify from 'fastify';
import { OptionError } from '../errors.js';
import { registerExplorer } from '../explorer/routes.js';

export interface ExploreOptions {
  host?: string;
  port?: string;
  open?: boolean;
}

/**
 * Starts a server with the explorer for the models; resolves with the page's URL and a close
 * function.
 *
 * It serves the explorer alone, not the OpenAI API next to it: that API runs its models in a
 * worker thread, and the native addon keeps one process-wide parameter block (native/addon.cc,
 * init), so the explorer on the main thread and the worker would read each other's kernel
 * parameters. `kotoba serve` can mount the explorer once the addon keeps that block per thread.
 */
export async function startExplorer(models: string[], options: ExploreOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const port = Number(options.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError(`explore: --port must be 0..65535, got ${options.port}`);
  // name each model after its folder (or Hub id), made unique
  const names = new Set<string>();
  const specs = models.map((given) => {
    let name = basename(given.replace(/\/+$/, '')) || given;
    for (let i = 2; names.has(name); i++) name = `${basename(given)}-${i}`;
    names.add(name);
    return { name, folder: given };
  });
  const app = Fastify();
  const host = options.host ?? '127.0.0.1';
  try {
    const explorer = registerExplorer(app, { models: specs });
    // load the first model now, so the page opens without waiting for it
    await explorer.get(specs[0].name);
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/`, close: () => app.close() };
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
