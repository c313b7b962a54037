import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 17 item 3: the Graph API versions and the default live in packages/shared/src/graph-api-versions.ts
// (meta-2026-changes.md §1.10); a version pinned anywhere else is a second default that outlives its expiry.
const owner = 'packages/shared/src/graph-api-versions.ts';
const root = join(import.meta.dirname, '../../..');
const skip = new Set(['node_modules', '.git', '.stack', 'dist', 'test-results', 'coverage']);
const versionLiteral = /['"`]v\d+\.\d+['"`]/;
const versionSetting = /^\s*[A-Z_]*GRAPH_API_VERSION\s*[=:]\s*["']?v\d/m;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

describe('the Graph API version, one owner', () => {
  it(`is pinned only in ${owner}: no version literal in sources, env files or compose`, () => {
    const pinned: string[] = [];
    for (const dir of ['packages', 'services', 'apps', 'e2e/src', 'infra/src']) {
      for (const path of files(join(root, dir))) {
        const file = relative(root, path);
        if (file === owner || !/\.(ts|tsx)$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
        if (versionLiteral.test(readFileSync(path, 'utf8'))) pinned.push(file);
      }
    }
    const settings = [
      '.env.example',
      'docker-compose.yaml',
      ...readdirSync(join(root, 'services')).map((service) => `services/${service}/.env.example`),
    ];
    for (const file of settings) {
      const path = join(root, file);
      if (statSync(path, { throwIfNoEntry: false }) && versionSetting.test(readFileSync(path, 'utf8')))
        pinned.push(file);
    }
    expect(pinned).toEqual([]);
  });
});
