/** `kotoba bench`: only its help and argument errors (a real benchmark takes minutes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kotoba, oneLine } from './helpers.js';

test('bench --help lists the parts that are built', () => {
  const r = kotoba(['bench', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: kotoba bench \[options\] \[parts\.\.\.\]/);
  assert.match(r.stdout.replace(/\s+/g, ' '), /built now: .*matmul/);
});

test('bench with a part that matches no benchmark is a one-line error, before anything runs', () => {
  const r = kotoba(['bench', 'matmul', 'no-such-part']);
  assert.notEqual(r.status, 0);
  assert.match(oneLine(r), /^kotoba: bench: no benchmark part matches "no-such-part" \(parts: .*matmul.*\)$/);
  assert.equal(r.stdout, '');
});
