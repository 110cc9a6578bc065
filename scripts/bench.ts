/**
 * `npm run bench`: every benchmark of the project, one after the other. Each part is its own
 * script (scripts/bench-*.ts) so it can also run alone; parts not built yet are skipped.
 * Numbers only mean something next to the peers' numbers from the same run (the machine drifts).
 * Each part runs under the node flags of scripts/node-flags.ts, as `npm start` does.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NODE_FLAGS } from './node-flags.js';

const parts = ['bench-matmul', 'bench-kernels', 'bench-tokenizers', 'bench-models', 'bench-generation', 'bench-server'];
const only = process.argv.slice(2);
for (const part of parts) {
  if (only.length > 0 && !only.some((o) => part.includes(o))) continue;
  const file = join('dist', 'scripts', `${part}.js`);
  if (!existsSync(file)) {
    console.log(`\n## ${part}: not built, skipped`);
    continue;
  }
  console.log(`\n## ${part}`);
  const r = spawnSync(process.execPath, [...NODE_FLAGS, file], { stdio: 'inherit' });
  if (r.status !== 0) console.log(`(${part} exited with status ${r.status})`);
}
