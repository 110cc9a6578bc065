/**
 * Reruns the parity tests on every instruction-set path this CPU can run other than the one
 * picked by default (the addon chooses its table once, at load, so each runs in a child process).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nativeBackend } from '../../src/backend/index.js';

const parity = fileURLToPath(new URL('./parity.test.js', import.meta.url));
const indexJs = fileURLToPath(new URL('../../src/backend/index.js', import.meta.url));

function canRun(isa: string): boolean {
  const script = `import(${JSON.stringify(indexJs)}).then((m) => process.exit(m.nativeBackend() ? 0 : 1))`;
  return spawnSync(process.execPath, ['-e', script], { env: { ...process.env, KOTOBA_ISA: isa } }).status === 0;
}

const active = nativeBackend()?.isa;
for (const isa of ['avx512', 'avx2', 'scalar']) {
  test(`parity on the ${isa} path`, (t) => {
    if (!active) { t.skip('native kernels unavailable'); return; }
    if (isa === active && !process.env.KOTOBA_ISA) { t.skip('the default path: parity.test.js covers it'); return; }
    if (!canRun(isa)) { t.skip(`this CPU cannot run ${isa}`); return; }
    // a child of a test runner would report in the runner's internal format: run it standalone
    const env: Record<string, string | undefined> = { ...process.env, KOTOBA_ISA: isa };
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', parity], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, `parity failed on ${isa}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
    assert.match(r.stdout, new RegExp(`native kernels match the reference \\(${isa}\\)`));
  });
}
