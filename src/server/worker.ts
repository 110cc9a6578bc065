/**
 * Entry of the model worker thread: hosts a LocalEngine per model and answers the main
 * thread's messages (worker-messages.ts), so tokenizing and forward passes never block the
 * server's event loop. Generation yields between steps, so an abort message stops it there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KotobaError } from '../errors.js';
import { ApiError } from './errors.js';
import { LocalEngine } from './local-engine.js';
import type { FromWorker, SerializedError, ToWorker } from './worker-messages.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
const maxBatch = (workerData as { maxBatch?: number } | null)?.maxBatch ?? 16;
const engines = new Map<number, LocalEngine>();
const running = new Map<number, AbortController>();

function serialize(err: unknown): SerializedError {
  if (err instanceof ApiError) return { status: err.status, message: err.message, type: err.type, param: err.param, code: err.code };
  const message = err instanceof Error ? err.message : String(err);
  // model and tokenizer code reports bad input as KotobaErrors; anything else is a server fault
  const status = err instanceof KotobaError ? 400 : 500;
  if (status === 500) console.error('kotoba worker:', err);
  return { status, message, type: status === 400 ? 'invalid_request_error' : 'server_error', param: null, code: null };
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function engine(model: number): LocalEngine {
  const e = engines.get(model);
  if (!e) throw new Error(`worker: no model ${model} is loaded`);
  return e;
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'abort') {
    running.get(msg.id)?.abort(new DOMException('aborted', 'AbortError'));
    return;
  }
  const controller = new AbortController();
  running.set(msg.id, controller);
  try {
    if (msg.type === 'load') {
      const e = new LocalEngine(maxBatch);
      const info = await e.load(msg.folder);
      engines.set(msg.model, e);
      post({ type: 'loaded', id: msg.id, info });
    } else if (msg.type === 'unload') {
      await engines.get(msg.model)?.close();
      engines.delete(msg.model);
      post({ type: 'unloaded', id: msg.id });
    } else if (msg.type === 'complete') {
      const result = await engine(msg.model).complete(msg.params, (chunk) => post({ type: 'chunk', id: msg.id, chunk }), controller.signal);
      post({ type: 'completed', id: msg.id, result });
    } else {
      post({ type: 'embedded', id: msg.id, result: await engine(msg.model).embed(msg.inputs, controller.signal) });
    }
  } catch (err) {
    if (!controller.signal.aborted) post({ type: 'error', id: msg.id, error: serialize(err) });
  } finally {
    running.delete(msg.id);
  }
}

port.on('message', (msg: ToWorker) => void handle(msg));
