import { spawn } from 'node:child_process';
import { agentRecordWithCredential } from '@wa-broker/shared/agents';
import { retireSeededAgent } from './create-run-agent.js';

// What the compose e2e runs besides the services (compose-system.ts): the one-shot jobs, and the run's own agent.

/** Retires the seeded Agent A (retireSeededAgent), then creates the run's agent, whose Kafka credential it returns. */
export async function createRunAgent(
  adminUrl: string,
  adminEnv: Record<string, string>,
  name: string,
  seedSlug: string,
) {
  const key = (adminEnv.ADMIN_API_KEYS ?? '').split(',')[0]?.trim() ?? '';
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  await retireSeededAgent(adminUrl, key, seedSlug);
  const created = await fetch(`${adminUrl}/api/v2/agents`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name }),
  });
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${await created.text()}`);
  const { kafka } = agentRecordWithCredential.parse(await created.json());
  if (!kafka) throw new Error(`the admin issued ${name} no Kafka credential`);
  return kafka;
}

/** Runs a one-shot job's entry with its environment in its service folder; throws with its output on failure. */
export async function runJob(
  dir: string,
  entry: string,
  env: Record<string, string>,
  name: string,
): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${output.slice(-4000)}`);
}
