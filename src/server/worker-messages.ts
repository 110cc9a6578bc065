/** The messages between a WorkerEngine (main thread) and its worker (worker.ts). */
import type { CompletionChunk, CompletionParams, CompletionResult, EmbeddingResult, ModelInfo } from './engine.js';

export type ToWorker =
  | { type: 'load'; id: number; folder: string }
  | { type: 'complete'; id: number; params: CompletionParams }
  | { type: 'embed'; id: number; inputs: (string | number[])[] }
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
  | { type: 'chunk'; id: number; chunk: CompletionChunk }
  | { type: 'completed'; id: number; result: CompletionResult }
  | { type: 'embedded'; id: number; result: EmbeddingResult }
  | { type: 'error'; id: number; error: SerializedError };
