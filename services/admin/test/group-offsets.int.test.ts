import { randomUUID } from 'node:crypto';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import { createKafka, ensureTopics } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyGroupOffsets, parseGroupCopies } from '../src/adapters/group-offsets.kafka.js';

// Upgrading to agent groups under `<slug>:` (issue 24): the kafka-access setup's COPY_GROUP_OFFSETS carries a
// renamed group's position over, so the new group does not read its topics from the beginning.
const id = randomUUID().slice(0, 8);
const topic = `offsets-test-${id}`;
const oldGroup = `offsets-old-${id}`;
const newGroup = `offsets_${id}:agent`;
let admin: Admin;

beforeAll(async () => {
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers: testStackEnv().KAFKA_BROKERS.split(','),
    clientId: 'offsets-test',
    logger: createLogger({ service: 'test', level: 'silent' }),
  });
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, numPartitions: 2 }], { replicationFactor: 1 });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })),
  });
  await producer.disconnect();
  await admin.setOffsets({
    groupId: oldGroup,
    topic,
    partitions: [
      { partition: 0, offset: '4' },
      { partition: 1, offset: '3' },
    ],
  });
});

afterAll(async () => {
  await admin.deleteGroups([oldGroup, newGroup]).catch(() => undefined);
  await deleteTestTopics(admin, [topic]);
  await admin.disconnect();
});

const offsetsOf = async (groupId: string) =>
  (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions
    .map(({ partition, offset }) => `${partition}:${offset}`)
    .sort();

describe('carrying a renamed consumer group over', () => {
  it('commits the old group’s offsets as the new group’s, once: a rerun never moves it back', async () => {
    expect(await copyGroupOffsets(admin, { from: oldGroup, to: newGroup })).toEqual([topic]);
    expect(await offsetsOf(newGroup)).toEqual(['0:4', '1:3']);
    await admin.setOffsets({
      groupId: newGroup,
      topic,
      partitions: [
        { partition: 0, offset: '9' },
        { partition: 1, offset: '8' },
      ],
    });
    expect(await copyGroupOffsets(admin, { from: oldGroup, to: newGroup })).toEqual([]);
    expect(await offsetsOf(newGroup)).toEqual(['0:9', '1:8']);
  });

  it('reads old=new pairs and refuses anything else, naming the pair', () => {
    expect(parseGroupCopies('a-agent=a:agent, b-backend-store=b:backend-store')).toEqual([
      { from: 'a-agent', to: 'a:agent' },
      { from: 'b-backend-store', to: 'b:backend-store' },
    ]);
    expect(parseGroupCopies(undefined)).toEqual([]);
    expect(() => parseGroupCopies('a-agent')).toThrow(/'a-agent' is not <old group>=<new group>/);
    expect(() => parseGroupCopies('a=b=c')).toThrow(/'a=b=c'/);
  });
});
