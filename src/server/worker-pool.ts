/**
 * WorkerEngine: the Engine the server uses. It runs a LocalEngine in a worker thread and talks
 * to it with messages, so model work is off the event loop and /health answers during
 * generation. If the worker dies (out of memory, a native crash), the requests it held fail
 * with 500 and a fresh worker reloads the model for the next ones.
 */
import { Worker } from 'node:worker_threads';
import type { CompletionChunk, CompletionParams, CompletionResult, EmbeddingResult, Engine, ModelInfo } from './engine.js';
import { fromSerialized, internalError } from './errors.js';
import type { FromWorker, ToWorker } from './worker-messages.js';

interface Pending {
  resolve: (value: never) => void;
  reject: (err: unknown) => void;
  onChunk?: (chunk: CompletionChunk) => void;
  /** A load: its failure keeps its message (for the server log), unlike request failures. */
  load?: boolean;
}

export interface WorkerEngineOptions {
  /** Most generations one batch holds in the worker (default 8). */
  maxBatch?: number;
}

export class WorkerEngine implements Engine {
  private worker: Worker | null = null;
  private folder: string | null = null;
  private ready: Promise<ModelInfo> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing = false;

  constructor(private readonly options: WorkerEngineOptions = {}) {}

  load(folder: string): Promise<ModelInfo> {
    this.folder = folder;
    this.ready = this.start(folder);
    return this.ready;
  }

  private start(folder: string): Promise<ModelInfo> {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { maxBatch: this.options.maxBatch ?? 8 } });
    this.worker = worker;
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (err) => console.error('kotoba: model worker failed:', err));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(internalError());
      this.pending.clear();
      // reload lazily: the next request starts a fresh worker
      if (!this.closing && this.folder) this.ready = null;
    });
    return this.call<ModelInfo>({ type: 'load', id: 0, folder });
  }

  private async ensureWorker(): Promise<void> {
    if (!this.ready) {
      if (!this.folder) throw new Error('WorkerEngine: load() a model first');
      this.ready = this.start(this.folder);
    }
    await this.ready;
  }

  private call<T>(msg: ToWorker, onChunk?: (chunk: CompletionChunk) => void, signal?: AbortSignal): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.worker) { reject(internalError()); return; }
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        this.worker?.postMessage({ type: 'abort', id } satisfies ToWorker);
        reject(signal!.reason);
      };
      const cleanup = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: ((v: T) => { cleanup(); resolve(v); }) as (value: never) => void,
        reject: (e) => { cleanup(); reject(e); },
        onChunk,
        load: msg.type === 'load',
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ ...msg, id });
    });
  }

  private receive(msg: FromWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return; // aborted meanwhile
    if (msg.type === 'chunk') { p.onChunk?.(msg.chunk); return; }
    this.pending.delete(msg.id);
    if (msg.type === 'error') p.reject(p.load ? new Error(msg.error.message) : fromSerialized(msg.error));
    else if (msg.type === 'loaded') p.resolve(msg.info as never);
    else p.resolve(msg.result as never);
  }

  async complete(params: CompletionParams, onChunk: (chunk: CompletionChunk) => void, signal: AbortSignal): Promise<CompletionResult> {
    signal.throwIfAborted();
    await this.ensureWorker();
    return this.call<CompletionResult>({ type: 'complete', id: 0, params }, onChunk, signal);
  }

  async embed(inputs: (string | number[])[], signal: AbortSignal): Promise<EmbeddingResult> {
    signal.throwIfAborted();
    await this.ensureWorker();
    return this.call<EmbeddingResult>({ type: 'embed', id: 0, inputs }, undefined, signal);
  }

  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(internalError());
    this.pending.clear();
    if (worker) await worker.terminate();
  }
}
