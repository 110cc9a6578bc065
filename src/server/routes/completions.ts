/**
 * POST /v1/completions and the legacy POST /v1/engines/{engine}/completions: OpenAI's
 * Completions API. Choice i * n + j is the j-th completion of prompt i (as OpenAI numbers them).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CompletionChunk, CompletionParams, CompletionResult, TokenLogprob } from '../engine.js';
import type { ModelRegistry, ReadyModel } from '../registry.js';
import { newId, nowSeconds, usage } from '../responses.js';
import { asBody } from '../schemas/fields.js';
import { type CompletionRequest, parseCompletionRequest } from '../schemas/completions.js';
import { disconnectSignal } from '../sse.js';
import { assertGenerates, clientKey, readyModel, runGenerations, totalLogprob } from './common.js';
import { streamResponse } from './stream.js';

interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

/** OpenAI's legacy logprobs object; offsets count characters from `offset` on. */
function logprobsObject(tokens: readonly TokenLogprob[], offset: number): CompletionLogprobs {
  const out: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  for (const t of tokens) {
    out.tokens.push(t.token);
    out.token_logprobs.push(t.logprob);
    out.top_logprobs.push(t.logprob === null ? null : Object.fromEntries(t.top.map((a) => [a.token, a.logprob])));
    out.text_offset.push(offset);
    offset += t.token.length;
  }
  return out;
}

function generationParams(r: CompletionRequest, prompt: string | number[], j: number): CompletionParams {
  return {
    prompt, maxTokens: r.maxTokens, temperature: r.temperature, topP: r.topP, stop: r.stop,
    presencePenalty: r.presencePenalty, frequencyPenalty: r.frequencyPenalty, logitBias: r.logitBias,
    // each candidate of a seeded request gets its own seed, so they differ yet repeat
    seed: r.seed === null ? null : r.seed + j,
    topLogprobs: r.logprobs ?? 0, echo: r.echo, promptLogprobs: r.echo && r.logprobs !== null,
  };
}

function choice(r: CompletionRequest, index: number, result: CompletionResult) {
  const echoed = r.echo && result.prompt ? result.prompt : null;
  const promptText = echoed?.text ?? '';
  const tokens = [...(echoed?.tokens ?? []), ...result.tokens];
  return {
    text: promptText + result.text,
    index,
    logprobs: r.logprobs === null ? null : logprobsObject(tokens, 0),
    finish_reason: result.finishReason,
  };
}

async function complete(model: ReadyModel, r: CompletionRequest, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const signal = disconnectSignal(reply.raw);
  const client = clientKey(req, r.user);
  const id = newId('cmpl-');
  const created = nowSeconds();
  const base = { id, object: 'text_completion', created, model: model.name };

  if (!r.stream) {
    const params = r.prompts.flatMap((p) => Array.from({ length: r.bestOf }, (_, j) => generationParams(r, p, j)));
    const results = await model.scheduler.run(client, signal, (s) => runGenerations(model, params, s));
    const choices = r.prompts.flatMap((_, i) => {
      const candidates = results.slice(i * r.bestOf, (i + 1) * r.bestOf);
      // best_of: keep the n candidates with the highest total logprob (stable for ties)
      const kept = r.bestOf > r.n ? [...candidates].sort((a, b) => totalLogprob(b) - totalLogprob(a)).slice(0, r.n) : candidates;
      return kept.map((res, j) => choice(r, i * r.n + j, res));
    });
    const promptTokens = r.prompts.reduce((s, _, i) => s + results[i * r.bestOf].promptTokens, 0);
    const completionTokens = results.reduce((s, x) => s + x.completionTokens, 0);
    return { ...base, choices, usage: usage(promptTokens, completionTokens), system_fingerprint: null };
  }

  const params = r.prompts.flatMap((p) => Array.from({ length: r.n }, (_, j) => generationParams(r, p, j)));
  // text offsets continue across a choice's chunks
  const offsets = new Array<number>(params.length).fill(0);
  const chunkOf = (k: number, c: CompletionChunk) => {
    const logprobs = r.logprobs === null ? null : logprobsObject(c.tokens, offsets[k]);
    offsets[k] += c.text.length;
    return { ...base, choices: [{ text: c.text, index: k, logprobs, finish_reason: null }] };
  };
  await streamResponse(reply, model, client, signal, params, {
    chunk: chunkOf,
    finish: (k, res) => ({ ...base, choices: [{ text: '', index: k, logprobs: null, finish_reason: res.finishReason }] }),
    usage: r.includeUsage ? (u) => ({ ...base, choices: [], usage: u }) : null,
    promptIndex: (k) => Math.floor(k / r.n),
  });
  return reply;
}

export function registerCompletions(app: FastifyInstance, registry: ModelRegistry): void {
  const handle = (engine: string | null) => async (req: FastifyRequest, reply: FastifyReply) => {
    const body = asBody(req.body);
    // the legacy API named the model `engine` (in the URL, or in the body of old clients)
    const legacy = engine ?? (body['model'] === undefined && typeof body['engine'] === 'string' ? body['engine'] : null);
    const model = readyModel(registry, body, legacy);
    assertGenerates(model);
    const r = parseCompletionRequest(body, model.name, model.info);
    return complete(model, r, req, reply);
  };
  app.post('/v1/completions', handle(null));
  app.post<{ Params: { engine: string } }>('/v1/engines/:engine/completions', (req, reply) => handle(req.params.engine)(req, reply));
}
