import type { Consumer } from 'kafkajs';

/** What the lag needs of a prom-client Gauge (`router_consumer_lag`). */
export interface LagGauge {
  set(labels: { group: string; topic: string; partition: string }, value: number): void;
  remove(labels: { group: string; topic: string; partition: string }): void;
}

/**
 * Keeps `gauge` at the records each partition of `group` has behind its end, from the consumer's own batch events:
 * no extra request to Kafka. kafkajs reports the high watermark with every batch; at its start the lag counts from
 * the batch's first record (a batch that keeps failing still shows the lag growing), at its end from its last.
 * Partitions the group moves away are removed, so instances never report the same partition twice for long.
 */
export function trackConsumerLag(consumer: Pick<Consumer, 'on' | 'events'>, group: string, gauge: LagGauge) {
  const owned = new Map<string, { topic: string; partition: number }>();
  const labels = (topic: string, partition: number) => ({ group, topic, partition: String(partition) });
  const set = (topic: string, partition: number, lag: string) => {
    owned.set(`${topic}/${partition}`, { topic, partition });
    gauge.set(labels(topic, partition), Math.max(0, Number(lag)));
  };
  const keepOnly = (assigned: Readonly<Record<string, readonly number[]>>) => {
    for (const [key, { topic, partition }] of owned) {
      if (assigned[topic]?.includes(partition)) continue;
      owned.delete(key);
      gauge.remove(labels(topic, partition));
    }
  };
  consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) =>
    set(payload.topic, payload.partition, payload.offsetLagLow),
  );
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    set(payload.topic, payload.partition, payload.offsetLag),
  );
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => keepOnly(payload.memberAssignment));
  // Stopped for good: no partition is this process's any more.
  consumer.on(consumer.events.STOP, () => keepOnly({}));
}
