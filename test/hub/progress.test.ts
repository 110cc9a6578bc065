import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar } from '../../src/hub/progress.js';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { isTTY, out, write: (t: string) => out.push(t) };
}

test('progress bar draws on a terminal, only when its text changes', () => {
  const s = fakeStream(true);
  const bar = progressBar('org/x: model.safetensors', 2_000_000, true, s);
  bar.update(1_000_000);
  bar.update(1_000_001); // same text: not redrawn
  bar.update(2_000_000);
  bar.done();
  assert.equal(s.out.length, 3);
  assert.match(s.out[0]!, /^\rorg\/x: model\.safetensors \[#{12}\.{12}\] 50% 1\.0\/2\.0 MB/);
  assert.match(s.out[1]!, /100%/);
  assert.equal(s.out[2], '\n');
});

test('progress bar is silent off a terminal or when disabled', () => {
  for (const [tty, enabled] of [[false, true], [true, false]] as const) {
    const s = fakeStream(tty);
    const bar = progressBar('f', 10, enabled, s);
    bar.update(5);
    bar.done();
    assert.deepEqual(s.out, []);
  }
});
