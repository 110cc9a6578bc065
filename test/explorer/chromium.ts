/**
 * Debian's Chromium for the browser tests, driven by playwright-core (never Playwright's own
 * browser download). scripts/ensure-chromium.sh installs it when missing and we are root.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The browser's path, or why there is none. */
export function ensureChromium(): { path: string } | { reason: string } {
  const r = spawnSync('sh', ['scripts/ensure-chromium.sh'], { encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0 && r.stdout.trim()) return { path: r.stdout.trim().split('\n').at(-1)! };
  return { reason: (r.stderr || r.error?.message || 'ensure-chromium.sh failed').trim().split('\n').at(-1)! };
}

/** A headless Chromium with a fresh profile; close() also removes the profile. */
export async function launch(executablePath: string): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'kotoba-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    // without the background-networking flags Chromium opens connections of its own, which fail here
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
