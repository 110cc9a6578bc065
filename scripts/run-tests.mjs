// Runs every compiled test file (dist/test/**/*.test.js) with node's built-in test runner.
// Usage: node scripts/run-tests.mjs [substring-filter ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('dist/test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files found under dist/test (did the build run?)');
  process.exit(1);
}
// Memory that kernels are trusted to overwrite starts as NaN in tests (src/tensor/tensor.ts,
// allocateUninitialized): an element a kernel forgets to write then fails the comparisons.
// Scratch buffers of the native kernels get a guard zone, checked each time they are reused: a
// kernel writing past its scratch memory fails the next native call (native/pool.cc).
const env = { KOTOBA_POISON_UNINITIALIZED: '1', KOTOBA_SCRATCH_GUARD: '1', ...process.env };
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
