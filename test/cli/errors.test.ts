/**
 * How every `kotoba` command fails: one line "kotoba: <message>" on stderr and a non-zero exit
 * code; the stack trace only with --debug. Unexpected (non-Kotoba) errors add a hint to rerun
 * with --debug; they are made here by patching a library function in the child process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kotoba, oneLine, tempDir } from './helpers.js';

function fails(args: string[], pattern: RegExp, env: Record<string, string> = {}, nodeFlags: string[] = []): void {
  const r = kotoba(args, env, nodeFlags);
  assert.notEqual(r.status, 0, `${args.join(' ')}: exit code`);
  assert.ok(r.status !== null, 'ended by a signal');
  assert.match(oneLine(r), pattern, args.join(' '));
}

test('an unknown model folder: one line, no stack trace (the error is thrown inside the async action)', () => {
  const gone = join(tempDir(), 'no-such-model');
  fails(['generate', gone, 'hi'], new RegExp(`^kotoba: ${gone}: no such folder`));
  fails(['generate', './no-such-model', 'hi'], /^kotoba: \.\/no-such-model: no such folder/);
  fails(['tokenize', './no-such-model', 'hi'], /^kotoba: \.\/no-such-model: no such folder/);
  fails(['export', './no-such-model', '--format', 'hf', '-o', join(tempDir(), 'out')], /no such folder/);
  // a folder that is not a model
  fails(['generate', tempDir(), 'hi'], /^kotoba: .*config\.json/);
});

test('bad flag values, missing arguments, unknown options and commands: one line each', () => {
  fails(['generate', 'kotoba-gpt-mini', 'hi', '--max-tokens', 'abc'], /^kotoba: option '--max-tokens <n>' argument 'abc' is invalid\. --max-tokens must be an integer >= 1, got "abc" \(see kotoba generate --help\)$/);
  fails(['generate', 'kotoba-gpt-mini', 'hi', '--temperature', '-1'], /--temperature must be a number >= 0/);
  fails(['generate', 'kotoba-gpt-mini'], /^kotoba: missing required argument 'prompt' \(see kotoba generate --help\)$/);
  fails(['tokenize'], /^kotoba: missing required argument 'model'/);
  fails(['generate', 'kotoba-gpt-mini', 'hi', '--bogus'], /^kotoba: unknown option '--bogus'/);
  fails(['no-such-command'], /^kotoba: unknown command 'no-such-command'/);
  fails(['train-tokenizer', '--type', 'bpe', '--data', 'x.txt', '--out', tempDir(), '--vocab-size', 'many'], /--vocab-size must be a number/);
  fails(['export', 'x', '--format', 'hf', '--dtype', 'f8', '-o', tempDir()], /--dtype must be f32, f16 or bf16/);
});

test('--debug prints the stack trace, before or after the command', () => {
  for (const args of [['--debug', 'generate', './no-such-model', 'hi'], ['generate', './no-such-model', 'hi', '--debug']]) {
    const r = kotoba(args);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /KotobaError: \.\/no-such-model: no such folder/);
    assert.match(r.stderr, /\n\s+at .*resolveModelPath/);
  }
});

test('an unexpected error (not a KotobaError) is one line with a hint to rerun with --debug; --debug shows its stack', () => {
  // make AutoModelForCausalLM.fromPretrained fail with a TypeError after an await, and AutoTokenizer.fromFolder synchronously
  const patch = join(tempDir(), 'patch.mjs');
  const url = (p: string) => pathToFileURL(resolve(p)).href;
  writeFileSync(patch, [
    `import { AutoModelForCausalLM } from ${JSON.stringify(url('dist/src/models/auto.js'))};`,
    `import { AutoTokenizer } from ${JSON.stringify(url('dist/src/tokenizers/index.js'))};`,
    `AutoModelForCausalLM.fromPretrained = async () => { await new Promise((r) => setTimeout(r, 5)); throw new TypeError('broken on purpose'); };`,
    `AutoTokenizer.fromFolder = () => { throw new RangeError('also broken'); };`,
  ].join('\n'));
  const folder = tempDir();
  writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'gpt2' }));
  const preload = ['--import', pathToFileURL(patch).href];
  // the tokenizer is loaded first in generate; tokenize has only that
  fails(['tokenize', folder, 'hi'], /^kotoba: RangeError: also broken \(an unexpected error; rerun with --debug for the stack trace\)$/, {}, preload);
  const r = kotoba(['tokenize', folder, 'hi', '--debug'], {}, preload);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /RangeError: also broken\n\s+at /);

  // an error thrown after an await in the action
  const asyncPatch = join(tempDir(), 'patch-async.mjs');
  writeFileSync(asyncPatch, [
    `import { AutoModelForCausalLM } from ${JSON.stringify(url('dist/src/models/auto.js'))};`,
    `import { AutoTokenizer } from ${JSON.stringify(url('dist/src/tokenizers/index.js'))};`,
    `AutoTokenizer.fromFolder = () => ({});`,
    `AutoModelForCausalLM.fromPretrained = async () => { await new Promise((r) => setTimeout(r, 5)); throw new TypeError('broken on purpose'); };`,
  ].join('\n'));
  fails(['generate', folder, 'hi'], /^kotoba: TypeError: broken on purpose \(an unexpected error; rerun with --debug for the stack trace\)$/, {}, ['--import', pathToFileURL(asyncPatch).href]);

  // an error thrown outside the action's promise (an uncaught exception from a timer)
  const timerPatch = join(tempDir(), 'patch-timer.mjs');
  writeFileSync(timerPatch, [
    `import { AutoModelForCausalLM } from ${JSON.stringify(url('dist/src/models/auto.js'))};`,
    `import { AutoTokenizer } from ${JSON.stringify(url('dist/src/tokenizers/index.js'))};`,
    `AutoTokenizer.fromFolder = () => ({});`,
    `AutoModelForCausalLM.fromPretrained = () => { setTimeout(() => { throw new Error('thrown from a timer'); }, 1); return new Promise(() => {}); };`,
  ].join('\n'));
  fails(['generate', folder, 'hi'], /^kotoba: thrown from a timer \(an unexpected error; rerun with --debug for the stack trace\)$/, {}, ['--import', pathToFileURL(timerPatch).href]);
});
