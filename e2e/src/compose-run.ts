import { spawn } from 'node:child_process';
import { agentRecordWithCredential } from '@wa-broker/shared/agents';

// What the compose e2e runs besides the services (compose-system.ts): the one-shot jobs, and the run's own agent.

/**
 * The admin seeds "Agent A" on `agent_A-in/-out/-error`, topics `pnpm dev` uses: before the router and media
 * learn the agents, the run moves it to topics of its own (the run's principals' rights move with it) and switches
 * it off, then creates the run's agent, whose Kafka credential it returns.
 */
export async function createRunAgent(
  adminUrl: string,
  adminEnv: Record<string, string>,
  name: string,
  seedSlug: string,
) {
  const key = (adminEnv.ADMIN_API_KEYS ?? '').split(',')[0]?.trim();
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const listed = await fetch(`${adminUrl}/api/v2/agents?name=Agent%20A`, { headers });
  const agents = ((await listed.json()) as { data: { id: number; name: string }[] }).data;
  const agentA = agents.find((agent) => agent.name === 'Agent A');
  if (!agentA) throw new Error(`the admin has no seeded Agent A: ${JSON.stringify(agents)}`);
  // Off the topics pnpm dev uses first (the rights of the run's principals move with it), then off.
  const moved = await fetch(`${adminUrl}/api/v2/agents/${agentA.id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({
      read_topic: `${seedSlug}-in`,
      write_topic: `${seedSlug}-out`,
      error_topic: `${seedSlug}-error`,
    }),
  });
  if (moved.status !== 200) throw new Error(`moving Agent A: ${moved.status} ${await moved.text()}`);
  const off = await fetch(`${adminUrl}/api/v2/agents/${agentA.id}`, {
    method: 'DELETE',
    headers: { authorization: headers.authorization },
  });
  if (off.status !== 204) throw new Error(`switching Agent A off: ${off.status} ${await off.text()}`);
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
