/**
 * Model work off the event loop. A WorkerHost is one worker thread (worker.ts) that hosts every
 * model of a server; each model is a WorkerEngine talking to it with messages, so /health and
 * the queue keep answering while models compute.
 *
 * Why one thread for all models: the native kernels already spread each operation over every
 * core with their own thread pool, so a thread per model would only make them contend.
 *
 * If the worker dies (out of memory, a native crash), the requests it held fail with 500 and
 * the next request starts a fresh worker, which loads the models again.
 */
import { Worker } from 'node:worker_threads';
import type { CompletionChunk, CompletionParams, CompletionResult, EmbeddingResult, Engine, ModelInfo } from './engine.js';
import { fromSerialized, internalError } from './errors.js';
import type { FromWorker, ToWorker } from './worker-messages.js';

type Request = ToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  onChunk?: (chunk: CompletionChunk) => void;
  /** A load: its failure keeps its message (for the server log), unlike request failures. */
  load: boolean;
}

export interface WorkerHostOptions {
  /** Most generations one batch holds (default 16). */
  maxBatch?: number;
}

export class WorkerHost {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  /** Loaded models (id -> folder), reloaded into a fresh worker after a crash. */
  private readonly models = new Map<number, string>();
  private reloading: Promise<void> | null = null;
  private nextId = 1;
  private nextModel = 1;

  constructor(private readonly options: WorkerHostOptions = {}) {}

  /** A new model id, for a WorkerEngine. */
  allocate(): number {
    return this.nextModel++;
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { maxBatch: this.options.maxBatch ?? 16 } });
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (err) => console.error('kotoba: the model worker failed:', err));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(internalError());
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }

  async load(model: number, folder: string): Promise<ModelInfo> {
    if (!this.worker) this.spawn();
    const info = await this.send<ModelInfo>({ type: 'load', model, folder });
    this.models.set(model, folder);
    return info;
  }

  async unload(model: number): Promise<void> {
    this.models.delete(model);
    if (this.worker && this.models.size > 0) await this.send({ type: 'unload', model }).catch(() => {});
    if (this.models.size === 0 && this.worker) {
      const worker = this.worker;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(internalError());
      this.pending.clear();
      await worker.terminate();
    }
  }

  /** A request to a loaded model; after a crash, first a fresh worker with every model reloaded. */
  async request<T>(msg: Request, signal: AbortSignal, onChunk?: (chunk: CompletionChunk) => void): Promise<T> {
    signal.throwIfAborted();
    if (!this.worker) {
      this.reloading ??= this.reload().finally(() => { this.reloading = null; });
      await this.reloading;
    }
    return this.send<T>(msg, signal, onChunk);
  }

  private async reload(): Promise<void> {
    this.spawn();
    await Promise.all([...this.models].map(([model, folder]) => this.send({ type: 'load', model, folder })));
  }

  private send<T>(msg: Request, signal?: AbortSignal, onChunk?: (chunk: CompletionChunk) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const worker = this.worker;
      if (!worker) { reject(internalError()); return; }
      const onAbort = (): void => {
        if (!this.pending.delete(id)) return;
        worker.postMessage({ type: 'abort', id } satisfies ToWorker);
        reject(signal!.reason);
      };
      const cleanup = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => { cleanup(); resolve(v as T); },
        reject: (e) => { cleanup(); reject(e); },
        onChunk,
        load: msg.type === 'load',
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ ...msg, id });
    });
  }

  private receive(msg: FromWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return; // aborted meanwhile
    if (msg.type === 'chunk') { p.onChunk?.(msg.chunk); return; }
    this.pending.delete(msg.id);
    if (msg.type === 'error') p.reject(p.load ? new Error(msg.error.message) : fromSerialized(msg.error));
    else if (msg.type === 'loaded') p.resolve(msg.info);
    else if (msg.type === 'unloaded') p.resolve(undefined);
    else p.resolve(msg.result);
  }
}

/** One model, run by a WorkerHost. */
export class WorkerEngine implements Engine {
  private readonly model: number;

  constructor(private readonly host: WorkerHost) {
    this.model = host.allocate();
  }

  load(folder: string): Promise<ModelInfo> {
    return this.host.load(this.model, folder);
  }

  complete(params: CompletionParams, onChunk: (chunk: CompletionChunk) => void, signal: AbortSignal): Promise<CompletionResult> {
    return this.host.request<CompletionResult>({ type: 'complete', model: this.model, params }, signal, onChunk);
  }

  embed(inputs: (string | number[])[], signal: AbortSignal): Promise<EmbeddingResult> {
    return this.host.request<EmbeddingResult>({ type: 'embed', model: this.model, inputs }, signal);
  }

  close(): Promise<void> {
    return this.host.unload(this.model);
  }
}
