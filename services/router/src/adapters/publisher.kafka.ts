import { coalescingSend } from '@wa-broker/shared/coalescing-send';
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

/**
 * Outside transactions (notification sends, dead letters of the sweeper): one request in flight, and the calls made
 * meanwhile go together in the next one. The idempotent producer has one request in flight per broker anyway, so
 * concurrent sends (a notification's workers, 24 at a time) had queued one round trip each, about 80 ms, while
 * holding their worker; now they share round trips. A call's records stay together, in order.
 */
export function createKafkaPublisher(producer: Pick<IdempotentProducer, 'sendBatch'>): Publish {
  const send = coalescingSend<OutRecord>(async (records) => {
    await producer.sendBatch({ acks: -1, topicMessages: encodeRecords(records) });
  });
  return async (records) => {
    if (records.length === 0) return;
    await send(records);
  };
}
