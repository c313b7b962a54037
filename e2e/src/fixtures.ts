import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '@wa-broker/infra/stack-settings';

/** The shared Meta fixtures (read-only reference data beside the repo, as the services' tests read them). */
export const fixturesDir = resolve(repoRoot, '../shared/fixtures/meta');

/** Every webhook body fixture (`inbound-*`, `status-*`, `system-*`), parsed. */
export function webhookFixtures(): { name: string; body: unknown }[] {
  return readdirSync(fixturesDir)
    .filter((name) => /^(inbound|status|system)-.*\.json$/.test(name))
    .map((name) => ({ name, body: JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as unknown }));
}

export function fixtureText(name: string): string {
  return readFileSync(join(fixturesDir, name), 'utf8');
}
