/**
 * Killing a run: SIGKILL at arbitrary moments (checkpoints are written every step) never leaves a
 * checkpoint that fails to load, and --resume then gives exactly the losses of an uninterrupted
 * run; SIGINT stops cleanly after saving a checkpoint. The kill moments vary from run to run; the
 * assertions hold for any of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MaskedLMCollator, Trainer, latestCheckpoint, loadCheckpoint, readMetrics, readTrainerState } from '../../src/index.js';
import { TinyLM, tempDir } from './helpers.js';

const CHILD = resolve('dist/test/training/child/train-child.js');
const STEPS = 60;

function start(out: string, resume: boolean): ChildProcess {
  return spawn(process.execPath, [CHILD, out, String(STEPS), ...(resume ? ['--resume'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves once the latest checkpoint's step is past `step` (or the child has exited). */
async function waitForCheckpointAfter(out: string, step: number, child: ChildProcess): Promise<void> {
  while (child.exitCode === null) {
    const latest = latestCheckpoint(out);
    if (latest && readTrainerState(latest).globalStep > step) return;
    await new Promise((r) => setTimeout(r, 3));
  }
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (code) => r(code))));

function lossesOf(out: string): [number, number][] {
  return readMetrics(out).filter((r) => 'loss' in r).map((r) => [r.step, r.loss]);
}

test('SIGKILL mid-run (three times) leaves loadable checkpoints, and --resume reproduces the uninterrupted losses', async () => {
  const reference = tempDir();
  const ref = spawnSync(process.execPath, [CHILD, reference, String(STEPS)], { encoding: 'utf8' });
  assert.equal(ref.status, 0, ref.stderr);

  const out = tempDir();
  let reached = 0;
  for (let round = 0; round < 3; round++) {
    const child = start(out, round > 0);
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    await waitForCheckpointAfter(out, reached + 2, child);
    child.kill('SIGKILL');
    await exited(child);
    const latest = latestCheckpoint(out);
    assert.ok(latest, `a checkpoint survives the kill (round ${round}, exit ${child.exitCode} ${child.signalCode}, files: ${readdirSync(out).join(' ')}, stderr: ${stderr.slice(-400)})`);
    // every complete checkpoint loads into a fresh model and optimizer
    const probe = new Trainer({
      model: new TinyLM(29, false), trainDataset: [{ inputIds: [2, 3] }], collator: new MaskedLMCollator({ padTokenId: 0, maskTokenId: 4, vocabSize: 29, specialIds: [] }),
      args: { outputDir: tempDir(), progress: 'none' },
    });
    const state = loadCheckpoint(latest, probe.model, probe.optimizer);
    assert.ok(state.globalStep >= reached);
    reached = state.globalStep;
  }
  const last = spawnSync(process.execPath, [CHILD, out, String(STEPS), '--resume'], { encoding: 'utf8' });
  assert.equal(last.status, 0, last.stderr);
  assert.match(last.stdout, new RegExp(`finished at step ${STEPS}`));
  assert.deepEqual(lossesOf(out), lossesOf(reference));
});

test('SIGINT stops after the current step with a checkpoint of that step', async () => {
  const out = tempDir();
  const child = start(out, false);
  let stdout = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  await waitForCheckpointAfter(out, 2, child);
  child.kill('SIGINT');
  const code = await exited(child);
  assert.equal(code, 0);
  if (!stdout.includes('finished')) {
    const m = /interrupted at step (\d+)/.exec(stdout);
    assert.ok(m, stdout);
    assert.equal(latestCheckpoint(out), join(out, `checkpoint-${m[1]}`));
    assert.equal(Math.max(...readMetrics(out).map((r) => r.step)), Number(m[1]));
  }
});
