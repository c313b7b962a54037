import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { credentialProbe } from '@wa-broker/shared/kafka';
import { agentGrants, agentGroupPrefix, agentUsername } from '@wa-broker/shared/kafka-access';
import { newKafkaSecret, provisionPrincipals, removePrincipals } from '@wa-broker/shared/kafka-provisioning';
import { agentSlug } from '@wa-broker/shared/topics';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createAgent } from '../src/index.js';
import { brokers, inbound, logger, testKafka } from './support/stack.js';

// Issue 24 §2: an agent runs with its own credential (what the admin issues), which opens its topics and groups.
describe('an agent with its own Kafka credential', () => {
  let stack: Awaited<ReturnType<typeof testKafka>>;
  let admin: Admin;
  const secret = newKafkaSecret();
  const agents: Agent[] = [];
  let slug = '';

  beforeAll(async () => {
    stack = await testKafka();
    slug = agentSlug(stack.agentName);
    await stack.createTopics(Object.values(stack.topics));
    admin = stack.admin;
    await provisionPrincipals(
      admin,
      [
        {
          username: agentUsername(slug),
          password: secret,
          grants: agentGrants({ slug, topics: stack.topics }),
        },
      ],
      credentialProbe(logger, testKafkaAuth().tls),
    );
  });
  afterAll(async () => {
    for (const agent of agents) await agent.stop();
    await removePrincipals(admin, [agentUsername(slug)]);
    await stack.close();
  });

  const auth = () => ({
    mechanism: 'scram-sha-512' as const,
    username: agentUsername(slug),
    password: secret,
  });

  it('reads its -in and answers on its -out', async () => {
    const agent = createAgent({
      agent: stack.agentName,
      brokers,
      auth: auth(),
      topics: stack.topics,
      logger,
    });
    agents.push(agent);
    agent.on('text', (message, { reply }) => reply.text(`echo: ${message.text}`));
    await agent.start();
    const out = await stack.read<AgentOutboundMessage>(stack.topics.out);
    await stack.produce(stack.topics.in, [inbound('text', { waID: 'u-cred', text: 'hi' })]);
    await eventually(() => out.find((message) => message.waID === 'u-cred'), { what: 'the echo' });
  });

  it('start() fails with the broker’s refusal for a group outside its `<slug>:` prefix', async () => {
    const agent = createAgent({
      agent: stack.agentName,
      brokers,
      auth: auth(),
      topics: stack.topics,
      logger,
      groupId: `not-${agentGroupPrefix(slug)}agent`,
    });
    agents.push(agent);
    await expect(agent.start()).rejects.toThrow(/Not authorized to access group/);
  });
});
