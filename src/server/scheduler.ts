/**
 * Runs a model's requests: at most `concurrency` at once, the others waiting in a bounded fair
 * queue (full: 429). Each request has one deadline covering its wait and its run; when it
 * passes, or the client goes away, the request leaves the queue or its work is aborted.
 */
import { queueFull, timedOut } from './errors.js';
import { FairQueue } from './queue.js';

export interface SchedulerOptions {
  /** Requests run at once (the worker interleaves or batches them). */
  concurrency: number;
  /** Requests that may wait; one more is answered 429. */
  maxQueued: number;
  /** Deadline of a request from its arrival, in milliseconds. */
  timeoutMs: number;
}

interface Waiting {
  start: () => void;
}

export class Scheduler {
  private running = 0;
  private readonly queue: FairQueue<Waiting>;

  constructor(readonly model: string, private readonly options: SchedulerOptions) {
    this.queue = new FairQueue(options.maxQueued);
  }

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.size };
  }

  /**
   * Runs task when a slot is free. The task gets a signal that aborts on the deadline or when
   * `clientSignal` aborts; the promise then rejects with a 504 ApiError or the abort reason.
   */
  run<T>(client: string, clientSignal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const controller = new AbortController();
      let state: 'queued' | 'running' | 'done' = 'queued';
      const entry: Waiting = { start: () => begin() };

      const finish = (): void => {
        clearTimeout(timer);
        clientSignal.removeEventListener('abort', onClientAbort);
        if (state === 'running') {
          this.running--;
          this.pump();
        }
        state = 'done';
      };
      const giveUp = (reason: unknown): void => {
        if (state === 'queued') {
          this.queue.remove(client, entry);
          finish();
          reject(reason);
        } else if (state === 'running') {
          controller.abort(reason); // the task settles (rejects) when its work stops
        }
      };
      const onClientAbort = (): void => giveUp(clientSignal.reason);
      const timer = setTimeout(() => giveUp(timedOut(this.options.timeoutMs / 1000)), this.options.timeoutMs);

      const begin = (): void => {
        state = 'running';
        this.running++;
        let work: Promise<T>;
        try {
          work = task(controller.signal);
        } catch (err) {
          work = Promise.reject(err);
        }
        work.then(
          (value) => { finish(); resolve(value); },
          (err: unknown) => {
            finish();
            // an aborted task reports why it was aborted (deadline or client), not the abort itself
            reject(controller.signal.aborted ? controller.signal.reason : err);
          },
        );
      };

      if (clientSignal.aborted) {
        clearTimeout(timer);
        reject(clientSignal.reason);
        return;
      }
      clientSignal.addEventListener('abort', onClientAbort, { once: true });
      if (this.running < this.options.concurrency && this.queue.size === 0) {
        begin();
      } else if (!this.queue.push(client, entry)) {
        clearTimeout(timer);
        clientSignal.removeEventListener('abort', onClientAbort);
        state = 'done';
        reject(queueFull(this.model));
      }
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency) {
      const next = this.queue.shift();
      if (!next) return;
      next.start();
    }
  }
}
