/** GET /v1/models, GET /v1/models/{id} and GET /health. */
import type { FastifyInstance } from 'fastify';
import type { ModelEntry, ModelRegistry } from '../registry.js';

function modelObject(e: ModelEntry) {
  return { id: e.name, object: 'model', created: e.created, owned_by: 'kotoba' };
}

export function registerModels(app: FastifyInstance, registry: ModelRegistry): void {
  app.get('/v1/models', async () => ({ object: 'list', data: registry.list().map(modelObject) }));
  // a wildcard: model ids may contain slashes ("org/name")
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (req) => modelObject(registry.find(req.params['*'])));
}

/**
 * Health for load balancers: 200 once every model is ready, 503 while one is still loading or
 * failed to load. It never waits for model work (which runs in worker threads).
 */
export function registerHealth(app: FastifyInstance, registry: ModelRegistry): void {
  app.get('/health', async (_req, reply) => {
    const models = Object.fromEntries(registry.list().map((e) => [e.name, { state: e.state, ...e.scheduler.stats }]));
    const ready = registry.list().every((e) => e.state === 'ready');
    const loading = registry.list().some((e) => e.state === 'loading');
    reply.code(ready ? 200 : 503);
    return { status: ready ? 'ok' : loading ? 'loading' : 'degraded', models };
  });
}
