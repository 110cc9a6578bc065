/** POST /v1/embeddings: sentence embeddings from encoder models (pooling: see local-engine.ts and docs/server.md). */
import type { FastifyInstance } from 'fastify';
import { invalid } from '../errors.js';
import type { ModelRegistry } from '../registry.js';
import { usage } from '../responses.js';
import { parseEmbeddingRequest } from '../schemas/embeddings.js';
import { asBody } from '../schemas/fields.js';
import { disconnectSignal } from '../sse.js';
import { clientKey, readyModel } from './common.js';

/** base64 of the little-endian float32 bytes, as OpenAI encodes embeddings. */
function base64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function registerEmbeddings(app: FastifyInstance, registry: ModelRegistry): void {
  app.post('/v1/embeddings', async (req, reply) => {
    const body = asBody(req.body);
    const model = readyModel(registry, body);
    if (model.info.kind !== 'encoder') {
      throw invalid('model', `The model '${model.name}' (${model.info.architecture}) does not produce embeddings; use an encoder model such as BERT.`, 'model_not_supported');
    }
    const r = parseEmbeddingRequest(body, model.name, model.info);
    const signal = disconnectSignal(reply.raw);
    const result = await model.scheduler.run(clientKey(req, r.user), signal, (s) => model.engine.embed(r.inputs, s));
    return {
      object: 'list',
      data: result.embeddings.map((e, index) => ({
        object: 'embedding', index, embedding: r.encodingFormat === 'base64' ? base64(e) : Array.from(e),
      })),
      model: model.name,
      usage: { prompt_tokens: result.promptTokens, total_tokens: usage(result.promptTokens, 0).total_tokens },
    };
  });
}
