import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { createKafka, ensureTopics, fetchTopicEnds } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';

/**
 * Measures the router from the broker's record timestamps. The webhook and `-in` topics are created with
 * `message.timestamp.type=LogAppendTime`, so a timestamp is the broker's time of the append: the router's added
 * latency is `-in` append − webhook append, free of the bench's own producer and consumer overhead.
 *
 * Since the broker stamps the times, the topics are read once a phase is over (`read`), not while the router
 * works: a consumer reading and parsing both topics as they grow took a quarter of a core of the two the broker
 * and the router share. Meanwhile `caughtUp` only compares the router's committed offsets with the webhook
 * topic's end (two small admin requests per poll).
 */
export async function startProbe(settings: {
  brokers: string[];
  logger: Logger;
  id: string;
  webhookTopic: string;
  inTopic: string;
  /** The router's inbound consumer group: its committed offsets say how far it has routed. */
  routerGroupId: string;
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

  /**
   * Reads both topics from the beginning (read_committed: `-in` as the agents see it) until every wamid of
   * `expected` was seen on both, or nothing new came for `idleMs` (then the missing ones count as lost).
   */
  async function read(expected: readonly string[], idleMs = 3000): Promise<void> {
    const consumer = kafka.consumer({ groupId: `bench-${settings.id}-probe`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [settings.webhookTopic, settings.inTopic], fromBeginning: true });
    const missing = new Set(expected);
    const complete = (wamid: string) => {
      if (onWebhook.has(wamid) && onIn.has(wamid)) missing.delete(wamid);
    };
    let lastProgress = Date.now();
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const value = JSON.parse(message.value?.toString('utf8') ?? '{}');
          const at = Number(message.timestamp);
          if (batch.topic === settings.webhookTopic && value.item?.id) {
            onWebhook.set(value.item.id, at);
            complete(value.item.id);
          }
          if (batch.topic === settings.inTopic && value.wamid && value.type === 'text') {
            onIn.set(value.wamid, at);
            inOrder.push({ user: value.waID, seq: Number(value.text) });
            complete(value.wamid);
          }
        }
        lastProgress = Date.now();
      },
    });
    while (missing.size > 0 && Date.now() - lastProgress < idleMs)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.disconnect();
  }

  return {
    /**
     * Waits until the router has committed every webhook record produced so far (its group's offsets reach the
     * topic's end), or `ms` passed; the figures are read afterwards with `read`.
     */
    async caughtUp(ms: number): Promise<void> {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const ends = await fetchTopicEnds(admin, settings.webhookTopic);
        const committed = await admin.fetchOffsets({
          groupId: settings.routerGroupId,
          topics: [settings.webhookTopic],
        });
        const at = new Map(committed[0]?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
        if (ends.every((e) => (at.get(e.partition) ?? -1n) >= BigInt(e.high))) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /** Reads the topics once (after the last `caughtUp`): the figures below come from what it read. */
    read,
    /** Added latency (ms) of the wamids that reached `-in`. */
    added(wamids: readonly string[]) {
      return wamids
        .filter((w) => onIn.has(w) && onWebhook.has(w))
        .map((w) => (onIn.get(w) ?? 0) - (onWebhook.get(w) ?? 0));
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
      await admin.disconnect();
    },
  };
}

export const percentile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
