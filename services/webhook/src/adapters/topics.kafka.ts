import { ensureTopics } from '@wa-broker/shared/kafka';
import type { Kafka } from 'kafkajs';
import type { WebhookTopics } from './delivery-publisher.kafka.js';

export interface TopicSettings {
  topics: WebhookTopics;
  partitions: number;
  replicationFactor: number;
  /** Largest record batch a topic accepts; a 3 MB delivery and its events must fit. */
  maxMessageBytes: number;
  rawRetentionMs: number;
}

/** Creates the three topics when missing (broker auto-create is off; kafkajs cannot produce to missing topics). */
export async function ensureWebhookTopics(kafka: Kafka, settings: TopicSettings): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const sized = { 'max.message.bytes': String(settings.maxMessageBytes) };
    await ensureTopics(
      admin,
      [
        { topic: settings.topics.events, configs: sized },
        { topic: settings.topics.business, configs: sized },
        {
          topic: settings.topics.raw,
          // Meta offers no replay API: this log is the only copy of every delivery.
          configs: { ...sized, 'retention.ms': String(settings.rawRetentionMs) },
        },
      ],
      { replicationFactor: settings.replicationFactor, defaultPartitions: settings.partitions },
    );
  } finally {
    await admin.disconnect();
  }
}
