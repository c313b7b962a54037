import { randomUUID } from 'node:crypto';
import { stackKafkaSecurity } from '@wa-broker/infra/stack-settings';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/**
 * When each benchmark message was written to each topic: the records' own timestamps (the producer's clock, this
 * machine's), found by a text token in the record (`b <phase> <phone> <n>`, `r …`). Read after a rate's run,
 * from the beginning of each topic, read_uncommitted (the time a record was written, not committed). Gives the
 * hops: simulator → webhook's record, → the router's record on the agent's topic, → the operator; and the
 * operator's reply → the agent backend's record on `-out` → the phone.
 */
export async function recordTimes(
  brokers: string[],
  topics: readonly string[],
  token: RegExp,
  timeoutMs = 60_000,
): Promise<Map<string, Map<string, number>>> {
  const kafka = new Kafka({
    brokers,
    clientId: 'bench-hop-times',
    ...stackKafkaSecurity(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics)
      for (const partition of await admin.fetchTopicOffsets(topic))
        if (BigInt(partition.high) > 0n) ends.set(`${topic}:${partition.partition}`, BigInt(partition.high));
  } finally {
    await admin.disconnect();
  }
  const times = new Map<string, Map<string, number>>();
  if (ends.size === 0) return times;
  const consumer = kafka.consumer({
    groupId: `bench-hops-${randomUUID()}`,
    maxBytes: 50 * 1024 * 1024,
    maxWaitTimeInMs: 100,
    readUncommitted: true,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topics.join(', ')} took too long`)),
        timeoutMs,
      );
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const key = `${payload.topic}:${payload.partition}`;
        if (BigInt(payload.lastOffset) + 1n >= (ends.get(key) ?? 0n)) ends.delete(key);
        if (ends.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer
        .run({
          eachMessage: async ({ topic, message }) => {
            const found = message.value?.toString().match(token);
            if (!found) return;
            const perTopic = times.get(found[0]) ?? new Map<string, number>();
            times.set(found[0], perTopic);
            const at = Number(message.timestamp);
            const earlier = perTopic.get(topic);
            if (earlier === undefined || at < earlier) perTopic.set(topic, at);
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return times;
}

/**
 * Records not yet committed by each consumer group whose id starts with `groupPrefix` and that has committed an
 * offset on `topics` (end offset minus committed offset, summed over partitions): how far behind each group is.
 * Keyed by `label` and the rest of the group id.
 */
export async function groupLags(
  brokers: string[],
  groupPrefix: string,
  topics: readonly string[],
  label: string,
): Promise<Record<string, number>> {
  const kafka = new Kafka({
    brokers,
    clientId: 'bench-lag',
    ...stackKafkaSecurity(),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, number>();
    for (const topic of topics)
      for (const partition of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}:${partition.partition}`, Number(partition.high));
    const lags: Record<string, number> = {};
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups.filter((group) => group.groupId.startsWith(groupPrefix))) {
      let lag = 0;
      let committed = false;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: [...topics] }))
        for (const { partition, offset } of partitions) {
          const end = ends.get(`${topic}:${partition}`) ?? 0;
          if (Number(offset) >= 0) committed = true;
          lag += Number(offset) < 0 ? end : end - Number(offset);
        }
      if (committed) lags[`${label}${groupId.slice(groupPrefix.length)}`] = lag;
    }
    return lags;
  } finally {
    await admin.disconnect();
  }
}
