import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, type AgentEvent, createAgent } from '../src/index.js';
import { brokers, inbound, logger, testKafka } from './support/stack.js';

type Stack = Awaited<ReturnType<typeof testKafka>>;

describe('delivery across instances and restarts', () => {
  let stack: Stack;
  const agents: Agent[] = [];

  beforeAll(async () => {
    stack = await testKafka();
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await stack?.close();
  });

  function startAgent(
    groupId: string,
    seen: string[],
    options: { delivery?: 'every-instance'; failOn?: string; topics?: Stack['topics'] } = {},
  ) {
    const { failOn, topics = stack.topics, delivery } = options;
    const agent = createAgent({
      agent: stack.agentName,
      brokers,
      auth: testKafkaAuth(),
      topics,
      logger,
      groupId,
      delivery,
    });
    agent.on('text', (message) => {
      if (message.text === failOn) throw new Error('cannot handle this yet');
      seen.push(message.text);
    });
    agents.push(agent);
    return agent;
  }

  it('commits after the handler: a restarted instance skips handled events and retries unfinished ones', async () => {
    const group = `sdk-test-${randomUUID()}`;
    const first: string[] = [];
    const agent = startAgent(group, first, { failOn: 'poison' });
    await agent.start();
    await stack.produce(stack.topics.in, [inbound('text', { text: 'a' }), inbound('text', { text: 'b' })]);
    await eventually(() => first.length === 2, { timeoutMs: 10_000, what: 'a and b' });
    // A different user's partition: the poison event blocks only its own partition.
    await stack.produce(stack.topics.in, [inbound('text', { text: 'poison', waID: 'poison-user' })]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await agent.stop();

    const second: string[] = [];
    const restarted = startAgent(group, second);
    await restarted.start();
    await stack.produce(stack.topics.in, [inbound('text', { text: 'c' })]);
    await eventually(() => second.includes('c') && second.includes('poison'), {
      timeoutMs: 10_000,
      what: 'c and the retried event',
    });
    expect(second).not.toContain('a');
    expect(second).not.toContain('b');
    expect(first).toEqual(['a', 'b']);
  });

  it('shares events between instances of one group, and gives every-instance agents each event', async () => {
    const id = randomUUID().slice(0, 8);
    const topics = { in: `sdk-fan_${id}-in`, out: `sdk-fan_${id}-out`, error: `sdk-fan_${id}-error` };
    await stack.createTopics([topics.in, topics.error, topics.out]);
    const group = `sdk-test-${id}`;
    const shared = [[], []] as string[][];
    const everywhere = [[], []] as string[][];
    await Promise.all([
      startAgent(group, shared[0] ?? [], { topics }).start(),
      startAgent(group, shared[1] ?? [], { topics }).start(),
      startAgent(`relay-${group}`, everywhere[0] ?? [], { delivery: 'every-instance', topics }).start(),
      startAgent(`relay-${group}`, everywhere[1] ?? [], { delivery: 'every-instance', topics }).start(),
    ]);
    const texts = Array.from({ length: 12 }, (_, i) => `m${i}`);
    await stack.produce(
      topics.in,
      texts.map((text, i) => inbound('text', { text, waID: `user-${i}` })),
    );
    const got = (list: string[]) => texts.filter((text) => list.includes(text)).length;
    await eventually(() => got([...(shared[0] ?? []), ...(shared[1] ?? [])]) === 12, {
      timeoutMs: 20_000,
      what: 'shared group',
    });
    await eventually(() => everywhere.every((list) => got(list) === 12), {
      timeoutMs: 20_000,
      what: 'every instance',
    });
    const sharedSeen = [...(shared[0] ?? []), ...(shared[1] ?? [])].filter((t) => texts.includes(t));
    expect(sharedSeen.sort()).toEqual([...texts].sort());
  });
  it('names the every-instance group after instanceId, reuses a kafka client, and relays raw events', async () => {
    const id = randomUUID().slice(0, 8);
    const raw: AgentEvent[] = [];
    const agent = createAgent({
      agent: stack.agentName,
      kafka: stack.kafka,
      topics: stack.topics,
      logger,
      delivery: 'every-instance',
      groupId: `relay-${id}`,
      instanceId: 'replica-1',
      consumer: { sessionTimeout: 6_000 },
      producer: { maxInFlightRequests: 1 },
    }).onEvent((event) => void raw.push(event));
    agents.push(agent);
    await agent.start();
    const { groups } = await stack.admin.listGroups();
    expect(groups.map((group) => group.groupId)).toContain(`relay-${id}-replica-1`);
    // An image without its `media` has no typed view, yet the raw hook still gets it.
    const image = inbound('image', { text: 'no media' });
    await stack.produce(stack.topics.in, [image]);
    await eventually(() => raw.some((e) => e.event.event_id === image.event_id), {
      timeoutMs: 10_000,
      what: 'the raw image',
    });
  });

  it("relays the agent's own -out messages to every-instance agents that ask for them", async () => {
    const id = randomUUID().slice(0, 8);
    const relayed: AgentOutboundMessage[][] = [[], []];
    const relays = relayed.map((list, i) =>
      createAgent({
        agent: stack.agentName,
        kafka: stack.kafka,
        topics: stack.topics,
        logger,
        delivery: 'every-instance',
        groupId: `out-relay-${id}`,
        instanceId: `replica-${i}`,
      }).onOutbound((message) => void list.push(message)),
    );
    const sender = startAgent(`out-sender-${id}`, []);
    agents.push(...relays);
    await Promise.all([...relays.map((relay) => relay.start()), sender.start()]);
    const sent = await sender.send.text('15550001111', `out ${id}`);
    const keyed = (list: AgentOutboundMessage[]) =>
      list.filter((m) => m.idempotency_key === sent.idempotencyKey);
    await eventually(() => relayed.every((list) => keyed(list).length === 1), {
      timeoutMs: 10_000,
      what: 'both relays',
    });
    expect(keyed(relayed[0] ?? [])[0]).toMatchObject({ message_type: 'text', text: `out ${id}` });
  });
});
