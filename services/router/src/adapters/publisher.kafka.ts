import type { IdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import type { TopicMessages } from 'kafkajs';
import type { OutRecord, Publish } from '../domain/ports.js';

export type { OutRecord, Publish } from '../domain/ports.js';

/** Groups records by topic for one produce request; order per topic-partition follows the array (per-user order). */
export function encodeRecords(records: readonly OutRecord[]): TopicMessages[] {
  const byTopic = new Map<string, { key: string; value: Buffer; headers?: Record<string, string> }[]>();
  for (const record of records) {
    const messages = byTopic.get(record.topic) ?? [];
    const value = Buffer.from(JSON.stringify(record.value), 'utf8');
    messages.push(
      record.headers
        ? { key: record.key, value, headers: { ...record.headers } }
        : { key: record.key, value },
    );
    byTopic.set(record.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** Outside transactions (notifications, dead letters of the sweeper): one request for many records. */
export function createKafkaPublisher(producer: Pick<IdempotentProducer, 'sendBatch'>): Publish {
  return async (records) => {
    if (records.length === 0) return;
    await producer.sendBatch({ acks: -1, topicMessages: encodeRecords(records) });
  };
}
