/**
 * Entry of a model's worker thread: hosts one LocalEngine and answers the main thread's
 * messages (worker-messages.ts), so tokenizing and the model's forward passes never block the
 * server's event loop. Generation yields between steps, so an abort message stops it there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KotobaError } from '../errors.js';
import { ApiError } from './errors.js';
import { LocalEngine } from './local-engine.js';
import type { FromWorker, SerializedError, ToWorker } from './worker-messages.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
const engine = new LocalEngine((workerData as { maxBatch?: number } | null)?.maxBatch ?? 8);
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

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'abort') {
    running.get(msg.id)?.abort(new DOMException('aborted', 'AbortError'));
    return;
  }
  const controller = new AbortController();
  running.set(msg.id, controller);
  try {
    if (msg.type === 'load') {
      post({ type: 'loaded', id: msg.id, info: await engine.load(msg.folder) });
    } else if (msg.type === 'complete') {
      const result = await engine.complete(msg.params, (chunk) => post({ type: 'chunk', id: msg.id, chunk }), controller.signal);
      post({ type: 'completed', id: msg.id, result });
    } else {
      post({ type: 'embedded', id: msg.id, result: await engine.embed(msg.inputs, controller.signal) });
    }
  } catch (err) {
    if (!controller.signal.aborted) post({ type: 'error', id: msg.id, error: serialize(err) });
  } finally {
    running.delete(msg.id);
  }
}

port.on('message', (msg: ToWorker) => void handle(msg));
