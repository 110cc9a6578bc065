// `npm start` = `kotoba start`: the guided walk on the shipped models (the server part is tested in test/server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { guidedWalk } from '../../src/cli/start.js';

test('the guided walk shows tokens, shapes, a falling fine-tuning loss, generation, translation and classification', async () => {
  const lines: string[] = [];
  const { losses } = await guidedWalk((l) => lines.push(l));
  const text = lines.join('\n');
  for (const part of ['1. Tokens', '2. Encoder', '3. Fine-tuning', '4. Decoder', '5. Encoder-decoder', '6. Classification']) assert.ok(text.includes(part), part);
  assert.match(text, /pieces: \[CLS\] .* \[SEP\]/);
  assert.match(text, /last hidden state: \[1, \d+, \d+\]/);
  assert.match(text, /attention: +\d+ layers of \[1, \d+, \d+, \d+\]/);
  assert.equal(losses.length, 5);
  assert.ok(losses.at(-1)! < losses[0], `the loss goes down: ${losses.join(', ')}`);
  assert.match(text, /translate English to German: The house is wonderful\.\n {2}-> /);
  assert.match(text, /"Hello, my dog is cute" -> (positive|negative) \(0\.\d{3}\)/);
});

test('kotoba start --no-serve runs the walk from the command line and exits', () => {
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'start', '--no-serve'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /6\. Classification/);
  assert.equal(r.stderr, '');
});
