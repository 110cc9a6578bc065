/** POST /v1/chat/completions: OpenAI's Chat Completions API (chat.completion / chat.completion.chunk). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CompletionParams, CompletionResult, TokenLogprob } from '../engine.js';
import type { ModelRegistry, ReadyModel } from '../registry.js';
import { newId, nowSeconds, SYSTEM_FINGERPRINT, usage } from '../responses.js';
import { type ChatRequest, parseChatRequest } from '../schemas/chat.js';
import { asBody } from '../schemas/fields.js';
import { disconnectSignal } from '../sse.js';
import { assertGenerates, clientKey, readyModel, runGenerations } from './common.js';
import { streamResponse } from './stream.js';

const utf8 = new TextEncoder();

/** Chat's logprobs: one entry per token with its UTF-8 bytes and the alternatives. */
function logprobsContent(tokens: readonly TokenLogprob[]) {
  return tokens.map((t) => ({
    token: t.token,
    logprob: t.logprob ?? 0,
    bytes: [...utf8.encode(t.token)],
    top_logprobs: t.top.map((a) => ({ token: a.token, logprob: a.logprob, bytes: [...utf8.encode(a.token)] })),
  }));
}

function generationParams(r: ChatRequest, prompt: CompletionParams['prompt'], j: number): CompletionParams {
  return {
    prompt, maxTokens: r.maxTokens, temperature: r.temperature, topP: r.topP, stop: r.stop,
    presencePenalty: r.presencePenalty, frequencyPenalty: r.frequencyPenalty, logitBias: r.logitBias,
    seed: r.seed === null ? null : r.seed + j, topLogprobs: r.topLogprobs, echo: false, promptLogprobs: false,
  };
}

function choice(r: ChatRequest, index: number, result: CompletionResult) {
  return {
    index,
    message: { role: 'assistant', content: result.text, refusal: null, annotations: [] },
    logprobs: r.logprobs ? { content: logprobsContent(result.tokens), refusal: null } : null,
    finish_reason: result.finishReason,
  };
}

async function chat(model: ReadyModel, r: ChatRequest, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const signal = disconnectSignal(reply.raw);
  const client = clientKey(req, r.user);
  const prompt = { messages: r.messages };
  const params = Array.from({ length: r.n }, (_, j) => generationParams(r, prompt, j));
  const id = newId('chatcmpl-');
  const created = nowSeconds();

  if (!r.stream) {
    const results = await model.scheduler.run(client, signal, (s) => runGenerations(model, params, s));
    const completionTokens = results.reduce((s, x) => s + x.completionTokens, 0);
    return {
      id, object: 'chat.completion', created, model: model.name,
      choices: results.map((res, k) => choice(r, k, res)),
      usage: usage(results[0].promptTokens, completionTokens),
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
  }

  const base = { id, object: 'chat.completion.chunk', created, model: model.name, system_fingerprint: SYSTEM_FINGERPRINT };
  const extra = r.includeUsage ? { usage: null } : {};
  await streamResponse(reply, model, client, signal, params, {
    start: (k) => ({ ...base, choices: [{ index: k, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...extra }),
    chunk: (k, c) => ({
      ...base,
      choices: [{ index: k, delta: { content: c.text }, logprobs: r.logprobs ? { content: logprobsContent(c.tokens), refusal: null } : null, finish_reason: null }],
      ...extra,
    }),
    finish: (k, res) => ({ ...base, choices: [{ index: k, delta: {}, logprobs: null, finish_reason: res.finishReason }], ...extra }),
    usage: r.includeUsage ? (u) => ({ ...base, choices: [], usage: u }) : null,
    promptIndex: () => 0,
  });
  return reply;
}

export function registerChat(app: FastifyInstance, registry: ModelRegistry): void {
  app.post('/v1/chat/completions', async (req, reply) => {
    const body = asBody(req.body);
    const model = readyModel(registry, body);
    assertGenerates(model);
    return chat(model, parseChatRequest(body, model.name, model.info), req, reply);
  });
}
