/**
 * The messages between the main thread (worker-pool.ts) and the model worker (worker.ts). One
 * worker hosts every model of a server; `model` says which of its engines a message is for.
 */
import type { CompletionChunk, CompletionParams, CompletionResult, EmbeddingResult, ModelInfo } from './engine.js';

export type ToWorker =
  | { type: 'load'; id: number; model: number; folder: string }
  | { type: 'unload'; id: number; model: number }
  | { type: 'complete'; id: number; model: number; params: CompletionParams }
  | { type: 'embed'; id: number; model: number; inputs: (string | number[])[] }
  | { type: 'abort'; id: number };

/** An error as plain data: ApiErrors keep their fields; others arrive as status 500. */
export interface SerializedError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export type FromWorker =
  | { type: 'loaded'; id: number; info: ModelInfo }
  | { type: 'unloaded'; id: number }
  | { type: 'chunk'; id: number; chunk: CompletionChunk }
  | { type: 'completed'; id: number; result: CompletionResult }
  | { type: 'embedded'; id: number; result: EmbeddingResult }
  | { type: 'error'; id: number; error: SerializedError };
