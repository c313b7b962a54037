import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { createKafka, ensureTopics } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';

/**
 * Reads the webhook and `-in` topics and keeps each wamid's record timestamps. Both topics are created with
 * `message.timestamp.type=LogAppendTime`, so a timestamp is the broker's time of the append: the router's added
 * latency is `-in` append − webhook append, free of the bench's own producer and consumer overhead.
 */
export async function startProbe(settings: {
  brokers: string[];
  logger: Logger;
  id: string;
  webhookTopic: string;
  inTopic: string;
}) {
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers: settings.brokers,
    clientId: `bench-${settings.id}`,
    logger: settings.logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  const appendTime = { 'message.timestamp.type': 'LogAppendTime' };
  await ensureTopics(
    admin,
    [settings.webhookTopic, settings.inTopic].map((topic) => ({
      topic,
      numPartitions: 3,
      configs: appendTime,
    })),
    { replicationFactor: 1 },
  );
  const onWebhook = new Map<string, number>();
  const onIn = new Map<string, number>();
  const inOrder: { user: string; seq: number }[] = [];
  const consumer = kafka.consumer({ groupId: `bench-${settings.id}-probe`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [settings.webhookTopic, settings.inTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const value = JSON.parse(message.value?.toString('utf8') ?? '{}');
      const at = Number(message.timestamp);
      if (topic === settings.webhookTopic && value.item?.id) onWebhook.set(value.item.id, at);
      if (topic === settings.inTopic && value.wamid && value.type === 'text') {
        onIn.set(value.wamid, at);
        inOrder.push({ user: value.waID, seq: Number(value.text) });
      }
    },
  });
  return {
    /** Added latency (ms) of the wamids that reached `-in`, and how many of them did. */
    added(wamids: readonly string[]) {
      const latencies = wamids
        .filter((w) => onIn.has(w) && onWebhook.has(w))
        .map((w) => (onIn.get(w) ?? 0) - (onWebhook.get(w) ?? 0));
      return latencies;
    },
    span(wamids: readonly string[]) {
      const starts = wamids.map((w) => onWebhook.get(w) ?? Number.NaN);
      const ends = wamids.map((w) => onIn.get(w) ?? Number.NaN);
      return (Math.max(...ends) - Math.min(...starts)) / 1000;
    },
    arrived: (wamids: readonly string[]) => wamids.filter((w) => onIn.has(w) && onWebhook.has(w)).length,
    outOfOrder() {
      const last = new Map<string, number>();
      let count = 0;
      for (const { user, seq } of inOrder) {
        if (seq <= (last.get(user) ?? -1)) count++;
        last.set(user, seq);
      }
      return count;
    },
    async stop() {
      await consumer.disconnect();
      await admin.disconnect();
    },
  };
}

export const percentile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
