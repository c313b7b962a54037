import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, chromium } from 'playwright-core';
import { repoRoot } from './stack-settings.js';

/** Builds the operator UI into a fresh directory, as `pnpm --filter @wa-broker/agent-frontend build` would. */
export async function buildOperatorUi(): Promise<string> {
  const frontendDir = join(repoRoot, 'apps/agent-frontend');
  const outDir = await mkdtemp(join(tmpdir(), 'agent-frontend-'));
  const vite = join(frontendDir, 'node_modules/vite/bin/vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: frontendDir,
    },
  );
  return outDir;
}

/**
 * Debian's Chromium (`apt-get install chromium`; browser downloads are blocked on our machines), headless,
 * with a fresh profile and no background networking (the closed network refuses it, noisily).
 */
export async function launchChromium(viewport = { width: 1100, height: 720 }): Promise<BrowserContext> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
  });
}
