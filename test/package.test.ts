/** The package works from another folder that depends on this checkout (a file: dependency). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

test("import { tensor, nn, AdamW } from 'kotoba' resolves through package.json exports", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-consumer-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', dependencies: { kotoba: `file:${resolve('.')}` } }));
    // what npm does for a file: dependency on a folder: a symlink in node_modules
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(resolve('.'), join(dir, 'node_modules', 'kotoba'), 'dir');
    writeFileSync(join(dir, 'main.mjs'), [
      "import { tensor, nn, AdamW } from 'kotoba';",
      'const layer = new nn.Linear(2, 1);',
      'const opt = new AdamW(layer.parameters(), { lr: 0.1 });',
      'const loss = layer.forward(tensor([[1, 2]])).sum();',
      'opt.zeroGrad(); loss.backward(); opt.step();',
      "console.log(typeof loss.item(), layer.parameters().length);",
    ].join('\n'));
    const out = execFileSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, KOTOBA_QUIET_NATIVE: '1' } });
    assert.equal(out.trim(), 'number 2');
    // a deep import outside the exports map is refused, so the public surface is what exports says
    assert.throws(() => execFileSync(process.execPath, ['-e', "import('kotoba/dist/src/tensor/tensor.js').catch(() => process.exit(3))"], { cwd: dir, stdio: 'pipe' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npm start runs node with the flags of scripts/node-flags.ts (as npm run bench does)', async () => {
  const { readFileSync } = await import('node:fs');
  const { NODE_FLAGS } = await import('../scripts/node-flags.js');
  const start: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
  assert.ok(NODE_FLAGS.length > 0);
  assert.equal(start, `node ${NODE_FLAGS.join(' ')} dist/src/cli/main.js start`);
});
