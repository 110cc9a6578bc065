// The benchmark scripts' check on the PyTorch peer: a warning, with the fix, only when PyTorch's
// products run at the reference BLAS's speed. Fake interpreters stand in for python3 + torch,
// which the tests never need: each prints the GFLOP/s the probe would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { torchBlasWarning } from '../../scripts/peer-env.js';

test('torchBlasWarning: warns with the fix below 20 GFLOP/s, says nothing at BLAS speed or when python fails', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-peer-env-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fake = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  const slow = torchBlasWarning(fake('reference-blas', 'echo 5.8'));
  assert.ok(slow?.includes('5.8 GFLOP/s') && slow.includes('apt-get install -y libopenblas0-pthread'), String(slow));
  assert.equal(torchBlasWarning(fake('openblas', 'echo 93.1')), null);
  assert.equal(torchBlasWarning(fake('at-threshold', 'echo 20')), null);
  assert.equal(torchBlasWarning(fake('no-torch', 'echo "No module named torch" >&2; exit 1')), null);
  assert.equal(torchBlasWarning(join(dir, 'missing-python')), null);
});
