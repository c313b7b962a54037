import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../src/stack-settings.js';

// No Docker on our machines: the image build's first step (`pnpm install --frozen-lockfile` on the workspace's
// package.json files alone) is checked here. A workspace whose package.json is not copied, or pnpm's patches left
// behind, fails that install in `docker build` — which nothing else would notice.
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const workspace = parse(readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')) as {
  packages: string[];
  patchedDependencies?: Record<string, string>;
};

function workspaceFolders(): string[] {
  return workspace.packages
    .flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
        : [pattern],
    )
    .filter((folder) => existsSync(join(repoRoot, folder, 'package.json')));
}

describe('Dockerfile: the workspace install', () => {
  it('copies every workspace package.json before installing', () => {
    const install = dockerfile.indexOf('RUN pnpm install --frozen-lockfile');
    const copied = [...dockerfile.slice(0, install).matchAll(/^COPY (\S+)\/package\.json /gm)].map(
      (match) => match[1],
    );
    expect(workspaceFolders().filter((folder) => !copied.includes(folder))).toEqual([]);
  });

  it('copies the patches pnpm applies while installing', () => {
    const install = dockerfile.indexOf('RUN pnpm install --frozen-lockfile');
    const patches = Object.values(workspace.patchedDependencies ?? {});
    expect(patches.length).toBeGreaterThan(0);
    expect(dockerfile.slice(0, install)).toMatch(/^COPY patches\/ patches\/$/m);
    for (const patch of patches) expect(patch.startsWith('patches/')).toBe(true);
  });
});
