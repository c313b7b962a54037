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
