/**
 * The native backend loads (and must, under CI's KOTOBA_REQUIRE_NATIVE=1), reports its ISA and
 * threads, and when the addon is missing Kotoba falls back to the TypeScript kernels with one
 * warning that gives the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backendInfo, nativeBackend } from '../../src/backend/index.js';
import { loadNativeBackend, measureFmaPeak, setNumThreads } from '../../src/backend/native.js';

const indexJs = fileURLToPath(new URL('../../src/backend/index.js', import.meta.url));

test('the native backend loaded (required when KOTOBA_REQUIRE_NATIVE=1)', (t) => {
  const loaded = loadNativeBackend();
  if (process.env.KOTOBA_REQUIRE_NATIVE === '1') {
    assert.ok('backend' in loaded, `KOTOBA_REQUIRE_NATIVE=1 but ${'error' in loaded ? loaded.error : ''}`);
  } else if (!('backend' in loaded)) {
    t.skip(`native kernels unavailable: ${loaded.error}`);
  }
});

test('backendInfo reports the native backend, its ISA and threads', (t) => {
  const nb = nativeBackend();
  if (!nb) { t.skip('native kernels unavailable'); return; }
  assert.match(nb.isa, /^(avx512|avx2|scalar)$/);
  if (process.env.KOTOBA_BACKEND !== 'reference') {
    const info = backendInfo();
    assert.equal(info.name, 'native');
    assert.equal(info.isa, nb.isa);
  }
  const before = nb.threads;
  assert.ok(before >= 1);
  assert.equal(setNumThreads(1), 1);
  assert.equal(nb.threads, 1);
  assert.equal(setNumThreads(3), 3);
  assert.equal(setNumThreads(before), before);
  assert.throws(() => setNumThreads(0), /threads must be an integer >= 1/);
  // the bench's FMA-peak loop runs on every thread of the pool
  setNumThreads(2);
  assert.ok(measureFmaPeak(0.02) > 0);
  setNumThreads(before);
});

test('KOTOBA_ISA and KOTOBA_NUM_THREADS choose the path and the thread count', (t) => {
  if (!nativeBackend()) { t.skip('native kernels unavailable'); return; }
  const script = `import(${JSON.stringify(indexJs)}).then((m) => { const b = m.nativeBackend(); console.log(JSON.stringify(b && { isa: b.isa, threads: b.threads })); })`;
  const run = (env: Record<string, string>) => {
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim()) as { isa: string; threads: number } | null;
  };
  assert.deepEqual(run({ KOTOBA_ISA: 'scalar', KOTOBA_NUM_THREADS: '3' }), { isa: 'scalar', threads: 3 });
  assert.equal(run({ KOTOBA_ISA: 'bogus' }), null);
});

test('without the addon Kotoba runs on the TypeScript kernels and warns once with the reason', () => {
  const script = `import(${JSON.stringify(indexJs)}).then((m) => { m.getBackend(); m.getBackend(); console.log(JSON.stringify(m.backendInfo())); })`;
  const env: Record<string, string | undefined> = { ...process.env, KOTOBA_NATIVE_ADDON: '/nonexistent/kotoba_native.node' };
  delete env.KOTOBA_BACKEND;
  delete env.KOTOBA_QUIET_NATIVE;
  const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout.trim()) as { name: string; isa: string; nativeError?: string };
  assert.equal(info.name, 'reference');
  assert.equal(info.isa, 'typescript');
  assert.match(info.nativeError ?? '', /is missing/);
  assert.equal(r.stderr.match(/Kotoba runs on its TypeScript kernels/g)?.length, 1, r.stderr);
});

test('a worker thread gets its own parameter block: both threads compute correctly', async (t) => {
  const nb = nativeBackend();
  if (!nb) { t.skip('native kernels unavailable'); return; }
  const { Worker } = await import('node:worker_threads');
  const x = Float32Array.from({ length: 64 }, (_, i) => i / 10);
  const softmaxRow5 = (log: boolean) => { const y = new Float32Array(64); nb.softmax(x, 4, 16, y, log); return y[5]; };
  const before = softmaxRow5(false);
  const src = `import(${JSON.stringify(indexJs)}).then((m) => {
    const x = Float32Array.from({ length: 64 }, (_, i) => i / 10), y = new Float32Array(64);
    m.nativeBackend().softmax(x, 4, 16, y, true);
    require('node:worker_threads').parentPort.postMessage(y[5]);
  })`;
  const w = new Worker(src, { eval: true });
  const fromWorker = await new Promise<number>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await w.terminate();
  assert.ok(Math.abs(fromWorker - Math.log(before)) < 1e-5, `worker: ${fromWorker} vs log ${Math.log(before)}`);
  assert.equal(softmaxRow5(false), before);
});
