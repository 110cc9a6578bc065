/**
 * `kotoba bench [parts...]`: runs the project's benchmarks (dist/scripts/bench.js, what
 * `npm run bench` runs after building) from a checkout, passing its output and exit code through.
 * A part is any piece of a benchmark script's name: `kotoba bench matmul tokenizers`.
 */
import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KotobaError, OptionError } from '../errors.js';

/** The package root (dist/src/cli/bench.js -> ../../..). */
function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** The benchmark parts that are built: dist/scripts/bench-<part>.js. */
export function benchParts(root = packageRoot()): string[] {
  const dir = join(root, 'dist', 'scripts');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /^bench-.+\.js$/.test(f)).map((f) => f.slice('bench-'.length, -'.js'.length)).sort();
}

/** Runs the benchmarks; returns the script's exit status. */
export function runBench(parts: string[]): number {
  const root = packageRoot();
  const script = join(root, 'dist', 'scripts', 'bench.js');
  if (!existsSync(script)) {
    throw new KotobaError(`bench: ${script} is not there; the benchmarks run from a checkout of Kotoba after \`npm run build\``);
  }
  const known = benchParts(root);
  const unknown = parts.filter((p) => !known.some((k) => k.includes(p)));
  if (unknown.length > 0) {
    throw new OptionError(`bench: no benchmark part matches ${unknown.map((p) => JSON.stringify(p)).join(', ')} (parts: ${known.join(', ')})`);
  }
  // bench.js finds its parts relative to the package root
  const r = spawnSync(process.execPath, [script, ...parts], { cwd: root, stdio: 'inherit' });
  if (r.error) throw new KotobaError(`bench: could not run ${script}: ${r.error.message}`);
  if (r.signal) return 128 + (({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[r.signal] ?? 1);
  return r.status ?? 1;
}

/** Adds the `bench` command to the kotoba program. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks (all, or the parts named) from a checkout; minutes each')
    .argument('[parts...]', `parts to run, matched by name (built now: ${benchParts().join(', ') || 'none'})`)
    .action((parts: string[]) => {
      process.exitCode = runBench(parts);
    });
}
