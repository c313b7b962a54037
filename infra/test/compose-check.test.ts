import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkComposeReferences } from '../src/compose-check.js';
import { repoRoot } from '../src/stack-settings.js';

describe('checkComposeReferences', () => {
  it('finds nothing wrong with the project compose file', () => {
    expect(checkComposeReferences(join(repoRoot, 'docker-compose.yaml'))).toEqual([]);
  });

  it('reports a missing dependency, env file, build context and stage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20 AS service\n');
    writeFileSync(
      join(dir, 'docker-compose.yaml'),
      [
        'services:',
        '  a:',
        '    build: { context: ., target: nope }',
        '    depends_on: { ghost: { condition: service_healthy } }',
        '    env_file: [missing.env]',
        '  b:',
        '    build: ./nowhere',
      ].join('\n'),
    );
    expect(checkComposeReferences(join(dir, 'docker-compose.yaml'))).toEqual([
      "a: depends_on 'ghost', which is not a service",
      'a: env_file missing.env does not exist',
      "a: build target 'nope' is not a stage of Dockerfile",
      'b: build context ./nowhere does not exist',
    ]);
  });
});
