import { type ReplayMode, rawDeliveryHeaders, replayHeaders } from '@wa-broker/shared/webhook-events';
import type { Admin, Consumer, IHeaders, Producer } from 'kafkajs';
import { parseDelivery } from '../domain/parse-delivery.js';
import { planDelivery } from '../domain/plan-delivery.js';

export interface ReplayOptions {
  rawTopic: string;
  targetTopic: string;
  from: Date;
  /** Default: now. Deliveries received after it are left alone. */
  to?: Date;
  /**
   * `route` (default): the router routes what its dedup marks do not know. `rebuild-state`: the router only
   * rebuilds sessions, windows and dedup marks and sends nothing (after Redis was lost, see the README).
   */
  mode?: ReplayMode;
}

export interface ReplayReport {
  deliveries: number;
  events: number;
  unreadable: number;
}

const header = (headers: IHeaders | undefined, name: string) => headers?.[name]?.toString();

/**
 * Re-derives the webhook events of the raw deliveries received in [from, to] with the webhook's own splitting
 * rules (planDelivery), and publishes them to `targetTopic` with the same keys. Reading starts at the offsets
 * Kafka gives for `from` and stops at the partitions' ends as they were when the replay started. The events
 * are the same ones the webhook published (same wamids), so the router's dedup (dedup:<wamid>,
 * dedup:<wamid>:<status>) drops what it already routed: a replay never routes or sends anything twice. Those
 * marks live in Redis: after Redis was lost, replay with `mode: 'rebuild-state'` instead, which the router
 * applies to its state without sending anything.
 */
export async function replayDeliveries(
  kafka: { admin: Admin; consumer: Consumer; producer: Producer },
  options: ReplayOptions,
): Promise<ReplayReport> {
  const to = options.to ?? new Date();
  const starts = await kafka.admin.fetchTopicOffsetsByTimestamp(options.rawTopic, options.from.getTime());
  const ends = await kafka.admin.fetchTopicOffsets(options.rawTopic);
  const pending = new Map(
    ends
      .map((end) => ({
        partition: end.partition,
        end: BigInt(end.high),
        start: BigInt(starts.find((s) => s.partition === end.partition)?.offset ?? end.high),
      }))
      .filter((p) => p.start < p.end)
      .map((p) => [p.partition, p]),
  );
  const report: ReplayReport = { deliveries: 0, events: 0, unreadable: 0 };
  if (pending.size === 0) return report;
  await kafka.consumer.subscribe({ topic: options.rawTopic });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  await kafka.consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const range = pending.get(batch.partition);
      if (!range) return;
      const messages = [];
      for (const message of batch.messages) {
        if (BigInt(message.offset) >= range.end) break;
        const receivedAt = new Date(
          header(message.headers, rawDeliveryHeaders.receivedAt) ?? Number(message.timestamp),
        );
        if (receivedAt < options.from || receivedAt > to || !message.value) continue;
        try {
          const records = planDelivery(parseDelivery(message.value), {
            rawBody: message.value,
            signature: header(message.headers, rawDeliveryHeaders.signature) ?? '',
            receivedAt,
            traceId:
              header(message.headers, rawDeliveryHeaders.traceId) ??
              `replay-${batch.partition}-${message.offset}`,
          });
          report.deliveries++;
          for (const record of records)
            if (record.stream === 'events')
              messages.push({
                key: record.key,
                value: JSON.stringify(record.value),
                headers: {
                  'trace-id': record.value.trace_id,
                  [replayHeaders.replayed]: 'true',
                  [replayHeaders.mode]: options.mode ?? 'route',
                },
              });
        } catch {
          report.unreadable++; // the webhook answered 400 to these too: nothing was derived from them then
        }
      }
      if (messages.length > 0) await kafka.producer.send({ topic: options.targetTopic, acks: -1, messages });
      report.events += messages.length;
      const last = batch.messages.at(-1);
      if (!last || BigInt(last.offset) + 1n >= range.end) pending.delete(batch.partition);
      if (pending.size === 0) finish();
    },
  });
  for (const p of pending.values())
    kafka.consumer.seek({ topic: options.rawTopic, partition: p.partition, offset: String(p.start) });
  await finished;
  return report;
}
