/** The worker thread: it runs the models, and a dead worker is replaced (its requests fail with 500). */
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { ApiError, WorkerEngine, WorkerHost, type CompletionParams } from '../../src/server/index.js';
import { makeModelFolders, type ModelFolders } from './model-folders.js';

let folders: ModelFolders;
before(() => { folders = makeModelFolders(); });
after(() => folders.cleanup());

const params: CompletionParams = {
  prompt: 'the cat', maxTokens: 5, temperature: 0, topP: 1, stop: [], presencePenalty: 0, frequencyPenalty: 0,
  logitBias: {}, seed: null, topLogprobs: 0, echo: false, promptLogprobs: false,
};
const never = () => new AbortController().signal;

describe('WorkerHost', () => {
  it('hosts several models in one thread, and replaces a worker that died', async () => {
    const host = new WorkerHost();
    const gpt2 = new WorkerEngine(host);
    const bert = new WorkerEngine(host);
    try {
      assert.equal((await gpt2.load(folders.gpt2)).kind, 'causal-lm');
      assert.equal((await bert.load(folders.bert)).kind, 'encoder');
      const before = await gpt2.complete(params, () => {}, never());
      assert.equal((await bert.embed(['hello'], never())).embeddings.length, 1);

      // the worker dies in the middle of a generation
      const running = gpt2.complete({ ...params, prompt: 'a', maxTokens: 60, logitBias: { 100: -100 } }, () => {}, never());
      const worker = (host as unknown as { worker: Worker }).worker;
      await worker.terminate();
      await assert.rejects(running, (e: unknown) => e instanceof ApiError && e.status === 500);

      // the next requests start a fresh worker with both models loaded again
      const again = await gpt2.complete(params, () => {}, never());
      assert.equal(again.text, before.text);
      assert.equal((await bert.embed(['hello'], never())).embeddings.length, 1);
      assert.notEqual((host as unknown as { worker: Worker }).worker, worker);
    } finally {
      await gpt2.close();
      await bert.close();
    }
  });

  it('an aborted request stops at once and the worker goes on', async () => {
    const host = new WorkerHost();
    const gpt2 = new WorkerEngine(host);
    try {
      await gpt2.load(folders.gpt2);
      const controller = new AbortController();
      const running = gpt2.complete({ ...params, maxTokens: 50, logitBias: { 100: -100 } }, () => controller.abort(new Error('client left')), controller.signal);
      await assert.rejects(running, /client left/);
      assert.equal((await gpt2.complete(params, () => {}, never())).completionTokens > 0, true);
    } finally {
      await gpt2.close();
    }
  });
});
