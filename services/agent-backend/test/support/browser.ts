import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BrowserContext, chromium } from 'playwright-core';

const frontendDir = fileURLToPath(new URL('../../../../apps/agent-frontend/', import.meta.url));

/** Where browser tests leave screenshots (git-ignored, kept by CI as artifacts). */
export const testOutputDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Builds the operator UI into a fresh directory, as `pnpm --filter @wa-broker/agent-frontend build` would. */
export async function buildFrontend(): Promise<string> {
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

/** Debian's Chromium (browser downloads are blocked here), headless, with a fresh profile. */
export async function launchChromium(): Promise<BrowserContext> {
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
    viewport: { width: 1100, height: 720 },
  });
}
