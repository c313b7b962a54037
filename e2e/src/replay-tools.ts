import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@wa-broker/infra/stack-settings';
import { deleteRedisKeys } from '@wa-broker/infra/test-state';

const run = promisify(execFile);

/**
 * Deletes every key under one run's prefix, as losing the router's Redis would, and nothing else: the Redis is
 * shared with other runs, so never FLUSHALL. The prefix is `e2e-<run id>:`, free of glob characters.
 */
export async function wipeKeys(url: string, prefix: string): Promise<number> {
  if (!/^[A-Za-z0-9_-]+:$/.test(prefix)) throw new Error(`refusing to wipe an unusual prefix: ${prefix}`);
  return deleteRedisKeys(url, prefix);
}

/** A string key's value, or null. */
export async function readKey(url: string, key: string): Promise<string | null> {
  const { stdout } = await run('redis-cli', ['-u', url, '--raw', 'GET', key]);
  const value = stdout.replace(/\n$/, '');
  return value === '' ? null : value;
}

/**
 * Runs the real `pnpm replay` command (services/webhook/src/replay-cli.ts) against one run's topics, without
 * `.env.example`; resolves with its output once it exits 0.
 */
export async function runReplay(
  env: {
    KAFKA_BROKERS: string;
    KAFKA_USERNAME: string;
    KAFKA_PASSWORD: string;
    WEBHOOK_TOPIC: string;
    RAW_EVENT_LOG_TOPIC: string;
  },
  args: string[],
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/replay-cli.ts', ...args], {
    cwd: join(repoRoot, 'services', 'webhook'),
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`replay exited with ${code}:\n${output}`);
  return output;
}
