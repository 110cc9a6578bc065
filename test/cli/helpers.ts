/** Running the built `kotoba` CLI in a child process, and where the shipped models are. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SHIPPED_MODELS, shippedModelsDir } from '../../src/models/shipped.js';

export const MAIN = resolve('dist/src/cli/main.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/src/cli/main.js ...args` (extra environment variables in env). */
export function kotoba(args: string[], env: Record<string, string> = {}, nodeFlags: string[] = []): Run {
  const r = spawnSync(process.execPath, [...nodeFlags, MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KOTOBA_QUIET_NATIVE: '1', HF_HUB_OFFLINE: '1', ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'kotoba-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The folder of a shipped model, or null when it is not there (yet). */
export function shipped(name: keyof typeof SHIPPED_MODELS): string | null {
  const folder = join(shippedModelsDir(), name);
  return existsSync(join(folder, 'config.json')) ? folder : null;
}

/** A reason to skip a test when a shipped model is missing (false when it is there). */
export function missing(name: keyof typeof SHIPPED_MODELS): string | false {
  return shipped(name) ? false : `${name} is not in ${shippedModelsDir()}`;
}

/** stderr is one line "kotoba: ..." with no stack trace. */
export function oneLine(r: Run): string {
  const lines = r.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || !lines[0].startsWith('kotoba: ') || /\n\s+at /.test(r.stderr)) {
    throw new Error(`expected one "kotoba: ..." line on stderr, got:\n${r.stderr}`);
  }
  return lines[0];
}
