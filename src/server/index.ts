// The OpenAI-compatible server: createServer (a fastify app, not listening) and startServer.
export { createServer, startServer, type ServerOptions, type StartOptions, type KotobaServer } from './app.js';
export type { Engine, ModelInfo, ModelKind, CompletionParams, CompletionChunk, CompletionResult, EmbeddingResult, ChatMessage, TokenLogprob, FinishReason } from './engine.js';
export type { ModelSpec } from './registry.js';
export { ApiError } from './errors.js';
export { LocalEngine } from './local-engine.js';
export { WorkerEngine, WorkerHost, type WorkerHostOptions } from './worker-pool.js';
export { renderPlainChat } from './chat-template.js';
