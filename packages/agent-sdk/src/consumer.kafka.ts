import { decodeJson, fetchTopicEnds } from '@wa-broker/shared/kafka';
import { contextFromHeaders, inSpan, SpanKind } from '@wa-broker/shared/trace-context';
import type { Admin, Consumer } from 'kafkajs';
import type { Where } from './dispatch.js';

export interface EventConsumerDeps {
  consumer: Consumer;
  topics: readonly string[];
  /** A shared group reads what it has not committed; a new per-instance group starts at the topics' ends. */
  startAtEnds: Admin | undefined;
  handle: (value: unknown, where: Where) => Promise<void>;
}

/**
 * Reads the topics and resolves each offset only after its handler resolved (at-least-once). A thrown handler
 * error stops the batch; kafkajs restarts the consumer and reads the unresolved records again.
 */
export async function runEventConsumer(deps: EventConsumerDeps): Promise<void> {
  const { consumer, topics } = deps;
  const ends = deps.startAtEnds ? await topicEnds(deps.startAtEnds, topics) : [];
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: !deps.startAtEnds });
  // A crash kafkajs will not restart from (e.g. GROUP_AUTHORIZATION_FAILED: a group outside the agent's
  // `<slug>:` prefix) fails start() with its cause instead of leaving it waiting for a join that never comes.
  const joined = new Promise<void>((resolve, reject) => {
    const removers = [
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const remove of removers) remove();
        resolve();
      }),
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) return;
        for (const remove of removers) remove();
        reject(payload.error);
      }),
    ];
  });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const where = { topic: batch.topic, partition: batch.partition, offset: message.offset };
        // The agent's hop of the message's trace (issue 21 §2): replies sent by the handler carry it on.
        const value = decodeJson(message.value);
        await inSpan(
          'agent.handle',
          {
            parent: contextFromHeaders(message.headers),
            kind: SpanKind.CONSUMER,
            attributes: { 'wa.topic': batch.topic, 'wa.event': eventType(value) },
          },
          () => deps.handle(value, where),
        );
        resolveOffset(message.offset);
        await heartbeat();
      }
    },
  });
  // A new group left to `latest` resolves its offsets only at its first fetch: events produced in between
  // would be missed, so it seeks to the ends read before joining. Those ends are the last stable offsets (the
  // admin lists offsets read_committed), so a transaction still open at start is read once committed, not skipped.
  for (const position of ends) consumer.seek(position);
  await joined;
}

async function topicEnds(admin: Admin, topics: readonly string[]): Promise<Where[]> {
  const ends = await Promise.all(
    topics.map(async (topic) =>
      (await fetchTopicEnds(admin, topic)).map(({ partition, high }) => ({
        topic,
        partition,
        offset: high,
      })),
    ),
  );
  return ends.flat();
}

/** The event's `type` (text, status, session_started…) for its span; never its content. */
function eventType(value: unknown): string {
  const type = (value as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : 'unknown';
}
