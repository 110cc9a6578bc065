/** The seed's loop shape (zeroGrad, backward, step, item) on a 2-layer MLP: `kotoba demo`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { runDemo } from '../../src/cli/demo.js';

test('a 2-layer MLP learns a non-linear task to >= 95% held-out accuracy with AdamW and cross-entropy', () => {
  const { firstLoss, lastLoss, accuracy } = runDemo(() => {});
  assert.ok(lastLoss < firstLoss / 4, `loss fell from ${firstLoss} to ${lastLoss}`);
  assert.ok(accuracy >= 0.95, `held-out accuracy ${accuracy}`);
});

test('`kotoba demo` prints the loss in the seed example format', () => {
  const out = execFileSync(process.execPath, ['dist/src/cli/main.js', 'demo'], { encoding: 'utf8', env: { ...process.env, KOTOBA_QUIET_NATIVE: '1' } });
  assert.match(out, /^Epoch 1\/200 - Loss: \d\.\d{4}$/m);
  assert.match(out, /^Epoch 200\/200 - Loss: \d\.\d{4}$/m);
  assert.match(out, /Held-out accuracy: \d+\.\d%/);
});
