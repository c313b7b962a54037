import type { Producer } from 'kafkajs';

export interface OutRecord {
  topic: string;
  key: string;
  value: unknown;
}

export type Publish = (records: readonly OutRecord[]) => Promise<void>;

/** One request for many records; order per topic-partition follows the array, so per-user order holds. */
export function createKafkaPublisher(producer: Producer): Publish {
  return async (records) => {
    if (records.length === 0) return;
    const byTopic = new Map<string, { key: string; value: Buffer }[]>();
    for (const record of records) {
      const messages = byTopic.get(record.topic) ?? [];
      messages.push({ key: record.key, value: Buffer.from(JSON.stringify(record.value), 'utf8') });
      byTopic.set(record.topic, messages);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  };
}
