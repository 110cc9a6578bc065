/** The fair bounded queue and the scheduler (limits, deadlines, aborts), without HTTP. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/server/index.js';
import { FairQueue } from '../../src/server/queue.js';
import { Scheduler } from '../../src/server/scheduler.js';

describe('FairQueue', () => {
  it('serves clients in turn, each in its own order', () => {
    const q = new FairQueue<string>(10);
    for (const x of ['a1', 'a2', 'a3']) q.push('a', x);
    for (const x of ['b1', 'b2']) q.push('b', x);
    q.push('c', 'c1');
    const out: string[] = [];
    for (let x = q.shift(); x !== undefined; x = q.shift()) out.push(x);
    assert.deepEqual(out, ['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('is bounded, and items can leave from anywhere', () => {
    const q = new FairQueue<number>(2);
    assert.ok(q.push('a', 1));
    assert.ok(q.push('b', 2));
    assert.equal(q.push('a', 3), false);
    assert.ok(q.remove('a', 1));
    assert.equal(q.remove('a', 1), false);
    assert.equal(q.size, 1);
    assert.equal(q.shift(), 2);
    assert.equal(q.shift(), undefined);
  });
});

describe('Scheduler', () => {
  const never = new AbortController().signal;

  it('runs at most `concurrency` tasks and rejects with 429 when the queue is full', async () => {
    const s = new Scheduler('m', { concurrency: 1, maxQueued: 1, timeoutMs: 10_000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const first = s.run('a', never, async () => { await gate; return 1; });
    const second = s.run('b', never, async () => 2);
    await assert.rejects(s.run('c', never, async () => 3), (e: unknown) => e instanceof ApiError && e.status === 429);
    assert.deepEqual(s.stats, { running: 1, queued: 1 });
    release();
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    assert.deepEqual(s.stats, { running: 0, queued: 0 });
  });

  it('a deadline aborts a running task (504)', async () => {
    const s = new Scheduler('m', { concurrency: 1, maxQueued: 4, timeoutMs: 50 });
    let sawAbort = false;
    const running = s.run('a', never, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => { sawAbort = true; reject(new Error('stopped')); })));
    await assert.rejects(running, (e: unknown) => e instanceof ApiError && e.status === 504);
    assert.ok(sawAbort);
    assert.deepEqual(s.stats, { running: 0, queued: 0 });
  });

  it('a deadline takes a waiting task out of the queue (504)', async () => {
    const s = new Scheduler('m', { concurrency: 1, maxQueued: 4, timeoutMs: 50 });
    let release!: () => void;
    // this task ignores its abort and keeps the only slot until released
    const busy = s.run('a', never, () => new Promise<void>((r) => { release = r; }));
    busy.catch(() => {});
    let ran = false;
    await assert.rejects(s.run('b', never, async () => { ran = true; }), (e: unknown) => e instanceof ApiError && e.status === 504);
    assert.equal(ran, false);
    assert.equal(s.stats.queued, 0);
    release();
  });

  it('a client that leaves frees its place', async () => {
    const s = new Scheduler('m', { concurrency: 1, maxQueued: 4, timeoutMs: 10_000 });
    let release!: () => void;
    const first = s.run('a', never, () => new Promise<void>((r) => { release = r; }));
    const leaving = new AbortController();
    const waiting = s.run('b', leaving.signal, async () => 'x');
    leaving.abort(new Error('gone'));
    await assert.rejects(waiting, /gone/);
    assert.equal(s.stats.queued, 0);
    release();
    await first;
  });
});
