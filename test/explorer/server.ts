/** A fastify app with only the explorer's routes, listening on a free local port. */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerExplorer } from '../../src/explorer/routes.js';
import { tinyModels } from './tiny-models.js';

export interface TestServer {
  app: FastifyInstance;
  url: string;
}

export async function startExplorerServer(): Promise<TestServer> {
  const dirs = tinyModels();
  const app = Fastify();
  registerExplorer(app, {
    models: [
      { name: 'bert-tiny-mlm', folder: dirs.bertMlm },
      { name: 'gpt2-tiny', folder: dirs.gpt2 },
      { name: 't5-tiny', folder: dirs.t5 },
      { name: 'bert-tiny-cls', folder: dirs.bertCls },
    ],
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}
