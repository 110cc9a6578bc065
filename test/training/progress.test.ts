/** The progress display: a bar redrawn in place on a terminal, plain lines elsewhere; the SVG plot. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressReporter, formatDuration, renderTrainingPlot } from '../../src/index.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

const update = { step: 120, total: 1000, loss: 3.21412, learningRate: 4.8e-4, tokensPerSecond: 1830.4, etaSeconds: 432 };

test('on a terminal: one line redrawn in place with step/total, loss, lr, tokens/s and ETA; log lines above it', () => {
  const tty = fakeStream(true);
  const p = new ProgressReporter('auto', tty);
  p.update(update);
  p.line('step 120 | loss 3.2141');
  p.update({ ...update, step: 121 });
  p.end();
  assert.equal(tty.text,
    '\r\x1b[2Kstep 120/1000 [##------------------] 12% | loss 3.2141 | lr 4.8e-4 | 1,830 tok/s | ETA 7m12s'
    + '\r\x1b[2Kstep 120 | loss 3.2141\n'
    + '\r\x1b[2Kstep 121/1000 [##------------------] 12% | loss 3.2141 | lr 4.8e-4 | 1,830 tok/s | ETA 7m12s\n');
});

test('not a terminal: no bar, only plain lines; "none" prints nothing', () => {
  const file = fakeStream(false);
  const p = new ProgressReporter('auto', file);
  p.update(update);
  p.line('step 120 | loss 3.2141');
  p.end();
  assert.equal(file.text, 'step 120 | loss 3.2141\n');
  const none = fakeStream(true);
  new ProgressReporter('none', none).line('x');
  assert.equal(none.text, '');
  assert.deepEqual([formatDuration(59), formatDuration(61), formatDuration(7300)], ['59s', '1m01s', '2h01m']);
});

test('the plot has a loss panel and a metric panel with one polyline per series', () => {
  const svg = renderTrainingPlot([
    { step: 10, loss: 2 }, { step: 20, loss: 1.5 }, { step: 20, eval_loss: 1.7, eval_accuracy: 0.6 }, { step: 30, loss: 1.2 }, { step: 40, eval_loss: 1.4, eval_accuracy: 0.7 },
  ], 'accuracy');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="480"/);
  assert.equal((svg.match(/<polyline/g) ?? []).length, 3);
  assert.match(svg, /eval_accuracy/);
});
