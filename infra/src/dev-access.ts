import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { type StackSettings, stackEnv, stackSettings } from './stack-settings.js';

/** Whose `.env.example` credential becomes which principal of the admin's `kafka-access` setup. */
const developmentCredentials = [
  { folder: 'services/webhook', prefix: 'WEBHOOK' },
  { folder: 'services/router', prefix: 'ROUTER' },
  { folder: 'services/admin', prefix: 'ADMIN' },
  { folder: 'services/notify', prefix: 'NOTIFY' },
  { folder: 'services/media', prefix: 'MEDIA' },
] as const;

const readEnvExample = (settings: StackSettings, folder: string) =>
  parseEnv(readFileSync(join(settings.repoRoot, folder, '.env.example'), 'utf8'));

/**
 * `pnpm dev`'s principals on the stack's Kafka: each core service's own (the credential in its `.env.example`)
 * and the seeded Agent A's (the agent backend's), created by the admin's `kafka-access` setup as the stack's super
 * user. Agents created later get theirs from the admin. Idempotent; `pnpm stack up` and `pnpm dev` run it.
 */
export function provisionDevAccess(settings: StackSettings = stackSettings()): string {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'info',
    ...stackEnv(settings),
  };
  for (const { folder, prefix } of developmentCredentials) {
    const example = readEnvExample(settings, folder);
    env[`${prefix}_KAFKA_USERNAME`] = example.KAFKA_USERNAME ?? '';
    env[`${prefix}_KAFKA_PASSWORD`] = example.KAFKA_PASSWORD ?? '';
  }
  const agent = readEnvExample(settings, 'services/agent-backend');
  env.SEED_AGENT_SLUG = agent.AGENT_SLUG ?? 'agent_A';
  env.SEED_AGENT_KAFKA_PASSWORD = agent.KAFKA_PASSWORD ?? '';
  const run = spawnSync('pnpm', ['--silent', 'kafka-access'], {
    cwd: join(settings.repoRoot, 'services/admin'),
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0)
    throw new Error(`kafka: development principals not provisioned:\n${run.stderr}${run.stdout}`);
  return run.stdout.trim();
}
