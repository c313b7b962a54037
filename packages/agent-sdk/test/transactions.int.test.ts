import { eventually } from '@wa-broker/infra/poll';
import { decodeJson, encodeJson } from '@wa-broker/shared/kafka';
import type { Message, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, type AgentEvent, createAgent } from '../src/index.js';
import { agentError, inbound, logger, testKafka } from './support/stack.js';

type Stack = Awaited<ReturnType<typeof testKafka>>;

// The router writes `-in` and `-error` in Kafka transactions: a batch a crashed router had produced is aborted and
// produced again by the next one. An agent must see only the committed copy (isolation read_committed).
describe('an agent reading topics written in transactions', () => {
  let stack: Stack;
  let router: Producer;
  const agents: Agent[] = [];
  const user = '15550001111';

  beforeAll(async () => {
    stack = await testKafka();
    await stack.createTopics([stack.topics.in, stack.topics.out, stack.topics.error]);
    router = stack.kafka.producer({
      transactionalId: `sdk-test-${stack.id}-router`,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await router.connect();
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await router?.disconnect();
    await stack?.close();
  });

  const texts = (...values: string[]): Message[] =>
    values.map((text) => ({ key: user, value: encodeJson(inbound('text', { text, waID: user })) }));

  function startAgent(seen: AgentEvent[], options: { delivery?: 'every-instance'; groupId: string }) {
    const agent = createAgent({
      agent: stack.agentName,
      kafka: stack.kafka,
      topics: stack.topics,
      logger,
      createTopics: false,
      ...options,
    }).onEvent((event) => void seen.push(event));
    agents.push(agent);
    return agent;
  }
  const textsOf = (seen: AgentEvent[]) =>
    seen.flatMap(({ source, event }) => (source === 'in' ? [event.text] : []));
  const errorsOf = (seen: AgentEvent[]) =>
    seen.flatMap(({ source, event }) => (source === 'error' ? [event.text] : []));

  it('never hands over the records of an aborted transaction, and hands over the committed ones after it', async () => {
    const seen: AgentEvent[] = [];
    await startAgent(seen, { groupId: `sdk-tx-${stack.id}` }).start();

    const aborted = await router.transaction();
    await aborted.send({ topic: stack.topics.in, messages: texts('aborted 1', 'aborted 2') });
    await aborted.send({
      topic: stack.topics.error,
      messages: [{ key: user, value: encodeJson(agentError({ waID: user, text: 'aborted error' })) }],
    });
    await aborted.abort();
    const committed = await router.transaction();
    await committed.send({ topic: stack.topics.in, messages: texts('committed 1', 'committed 2') });
    await committed.send({
      topic: stack.topics.error,
      messages: [{ key: user, value: encodeJson(agentError({ waID: user, text: 'committed error' })) }],
    });
    await committed.commit();

    await eventually(() => textsOf(seen).length >= 2 && errorsOf(seen).length >= 1, {
      timeoutMs: 15_000,
      what: 'the committed events',
    });
    // A later plain record: once it is handled, anything the agent would have read from before it has arrived.
    await stack.produce(stack.topics.in, [inbound('text', { text: 'after', waID: user })]);
    await eventually(() => textsOf(seen).includes('after'), {
      timeoutMs: 15_000,
      what: 'the record after the transactions',
    });
    expect(textsOf(seen)).toEqual(['committed 1', 'committed 2', 'after']);
    expect(errorsOf(seen)).toEqual(['committed error']);

    // The aborted records are in the log all the same: one key, one partition, 2 aborted + marker, 2 committed +
    // marker, 1 plain record. A read_uncommitted reader (what the SDK never is) gets them.
    const ends = await stack.admin.fetchTopicOffsets(stack.topics.in);
    expect(ends.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(7);
    expect(await readUncommitted(stack, stack.topics.in, 5)).toEqual([
      'aborted 1',
      'aborted 2',
      'committed 1',
      'committed 2',
      'after',
    ]);
  });

  it('gives an every-instance agent started during an open transaction its records once committed', async () => {
    const open = await router.transaction();
    await open.send({ topic: stack.topics.in, messages: texts('open 1', 'open 2') });
    const seen: AgentEvent[] = [];
    // Starts at the topics' ends, read read_committed: the open transaction's first offset, not past it.
    await startAgent(seen, { delivery: 'every-instance', groupId: `sdk-tx-relay-${stack.id}` }).start();
    await open.commit();
    await eventually(() => textsOf(seen).length >= 2, {
      timeoutMs: 15_000,
      what: 'the records of the committed transaction',
    });
    expect(textsOf(seen)).toEqual(['open 1', 'open 2']);
  });
});

/** The texts of the first `count` records of `topic` as a read_uncommitted consumer sees them. */
async function readUncommitted(stack: Stack, topic: string, count: number): Promise<string[]> {
  // Deliberately not createReadCommittedConsumer: this reader shows what read_committed hides.
  const consumer = stack.kafka.consumer({
    groupId: `sdk-tx-uncommitted-${stack.id}`,
    readUncommitted: true,
    maxWaitTimeInMs: 200,
  });
  const read: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void read.push(String((decodeJson(message.value) as { text: string }).text)),
    });
    await eventually(() => read.length >= count, { timeoutMs: 15_000, what: 'the uncommitted reader' });
    return read;
  } finally {
    await consumer.disconnect();
  }
}
