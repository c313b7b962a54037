import { type AgentKafkaCredential, agentRecordWithCredential } from '@wa-broker/shared/agents';
import type { SystemNames } from './system-env.js';

/** Creates the run's agent through the admin; resolves with the Kafka credential the admin issued it. */
export async function createAgent(adminUrl: string, names: SystemNames): Promise<AgentKafkaCredential> {
  const created = await fetch(`${adminUrl}/api/v2/agents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${names.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: names.agentName,
      read_topic: names.agentTopics.in,
      write_topic: names.agentTopics.out,
      error_topic: names.agentTopics.error,
    }),
  });
  if (created.status !== 201)
    throw new Error(`creating the e2e agent: ${created.status} ${await created.text()}`);
  const { kafka } = agentRecordWithCredential.parse(await created.json());
  if (!kafka) throw new Error('the admin issued the e2e agent no Kafka credential');
  return kafka;
}

/**
 * The admin's migrations seed "Agent A" on `agent_A-in/-out/-error`, the topics `pnpm dev` uses: a run's router
 * would create them, read `pnpm dev`'s operator replies from `agent_A-out` in its own group and report them as
 * failed on `agent_A-error`. Before the router and media learn the agents, the run moves it to topics of its own
 * (`<topicPrefix>-in/-out/-error`; the run's principals' rights move with it) and switches it off.
 */
export async function retireSeededAgent(
  adminUrl: string,
  adminKey: string,
  topicPrefix: string,
): Promise<void> {
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  const listed = await fetch(`${adminUrl}/api/v2/agents?name=Agent%20A`, { headers });
  const agents = ((await listed.json()) as { data: { id: number; name: string }[] }).data;
  const agentA = agents.find((agent) => agent.name === 'Agent A');
  if (!agentA) throw new Error(`the admin has no seeded Agent A: ${JSON.stringify(agents)}`);
  const moved = await fetch(`${adminUrl}/api/v2/agents/${agentA.id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({
      read_topic: `${topicPrefix}-in`,
      write_topic: `${topicPrefix}-out`,
      error_topic: `${topicPrefix}-error`,
    }),
  });
  if (moved.status !== 200) throw new Error(`moving Agent A: ${moved.status} ${await moved.text()}`);
  const off = await fetch(`${adminUrl}/api/v2/agents/${agentA.id}`, {
    method: 'DELETE',
    headers: { authorization: headers.authorization },
  });
  if (off.status !== 204) throw new Error(`switching Agent A off: ${off.status} ${await off.text()}`);
}
