import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchProducerClients } from '../src/adapters/batch-producer.js';
import { sign } from './support/meta-fixtures.js';
import { type Harness, jsonOf, postWebhook, readRecords, startWebhook } from './support/webhook-harness.js';

/** The partition Java clients and kafkajs choose for a key (murmur2): both webhook clients must agree with it. */
function javaPartitionOf(key: string, partitions: number): number {
  const partitioner = kafkajs.Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));
  return partitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

function textDelivery(waId: string, seq: number, messagesPerPost: number): string {
  const messages = Array.from({ length: messagesPerPost }, (_, i) => ({
    from: waId,
    id: `wamid.${waId}.${seq}.${i}`,
    timestamp: String(1761300000 + seq),
    type: 'text',
    text: { body: `${seq}.${i}` },
  }));
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550009999', phone_number_id: '106540352242922' },
    contacts: [{ profile: { name: waId }, wa_id: waId }],
    messages,
  };
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value }] }],
  });
}

// Every client the service can write with (WEBHOOK_KAFKA_CLIENT), against the real broker.
describe.each(batchProducerClients)('per-user order under concurrent posts (%s)', (client) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startWebhook({ KAFKA_LINGER_MS: '1', WEBHOOK_KAFKA_CLIENT: client });
  });
  afterAll(() => harness.close());

  it('keeps each user’s events in the order they were acknowledged while many users post at once', async () => {
    const users = Array.from({ length: 12 }, (_, i) => `1555100${String(i).padStart(4, '0')}`);
    const postsPerUser = 15;
    const messagesPerPost = 3;
    // Each user posts its deliveries one after another (as Meta does per conversation); users run concurrently.
    await Promise.all(
      users.map(async (waId) => {
        for (let seq = 0; seq < postsPerUser; seq += 1) {
          const body = textDelivery(waId, seq, messagesPerPost);
          const response = await postWebhook(harness.service.app, body, sign(body));
          expect(response.statusCode).toBe(200);
        }
      }),
    );
    const total = users.length * postsPerUser * messagesPerPost;
    const records = await readRecords(harness.config.KAFKA_BROKERS, harness.topics.events, total);
    expect(records).toHaveLength(total);
    for (const waId of users) {
      const mine = records.filter((record) => record.key === waId);
      expect(new Set(mine.map((record) => record.partition))).toEqual(
        new Set([javaPartitionOf(waId, harness.config.WEBHOOK_TOPIC_PARTITIONS)]),
      );
      const bodies = mine
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((record) => (jsonOf(record).item as { text: { body: string } }).text.body);
      const inOrder = Array.from(
        { length: postsPerUser * messagesPerPost },
        (_, n) => `${Math.floor(n / messagesPerPost)}.${n % messagesPerPost}`,
      );
      expect(bodies).toEqual(inOrder);
    }
  });
});
