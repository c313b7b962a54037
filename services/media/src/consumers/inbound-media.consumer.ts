import { agentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { decodeJson, subscribeWithRetry } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { AgentTopics } from '../adapters/agent-topics.js';
import { backoffMs, type InboundMediaJob, inboundMediaJob } from '../domain/inbound-job.js';
import type { StoreOutcome } from '../handlers/store-inbound-media.js';

export interface InboundMediaConsumerDeps {
  agents: AgentTopics;
  defaultNumberId: string;
  concurrency: number;
  store: (job: InboundMediaJob) => Promise<StoreOutcome>;
  onOutcome?: (outcome: StoreOutcome, job: InboundMediaJob) => void;
  logger: Logger;
}

/**
 * Reads every agent's `-in` topic (read_committed: the router writes them in transactions) and stores the
 * files of a batch, several at once. The batch's offset is committed only once every file in it is stored or
 * reported: a crash, a storage outage or a Kafka failure replays the batch, and files already stored are
 * skipped by their key, so none is lost and none is stored twice.
 */
export async function startInboundMediaConsumer(
  consumer: Consumer,
  topics: string[],
  deps: InboundMediaConsumerDeps,
): Promise<void> {
  await subscribeWithRetry(consumer, { topics, fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
      const owner = deps.agents.ownerOf(batch.topic);
      const jobs = owner ? batch.messages.map((message) => jobOf(message, owner, batch.topic, deps)) : [];
      // Meta's retries can take minutes: the group must not think this member died meanwhile.
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 3000);
      try {
        await runAll(
          jobs.filter((job): job is InboundMediaJob => job !== null),
          deps.concurrency,
          async (job) => {
            const outcome = await untilStored(job, deps, isRunning);
            deps.onOutcome?.(outcome, job);
          },
        );
      } finally {
        clearInterval(beat);
      }
      if (!isRunning() || isStale()) return;
      const last = batch.messages.at(-1);
      if (last) resolveOffset(last.offset);
      await commitOffsetsIfNecessary();
    },
  });
}

/**
 * A storage or Kafka outage is retried for as long as it lasts (Meta keeps the file 7 days); only stopping
 * the consumer ends it, and then nothing of the batch is committed.
 */
async function untilStored(
  job: InboundMediaJob,
  deps: InboundMediaConsumerDeps,
  isRunning: () => boolean,
): Promise<StoreOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.store(job);
    } catch (error) {
      if (!isRunning()) throw error;
      const wait = backoffMs(attempt, 250, 10_000);
      deps.logger.error(
        { err: error, media_id: job.mediaId, attempt, retry_in_ms: wait },
        'media store failed: retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function jobOf(
  message: KafkaMessage,
  owner: NonNullable<ReturnType<AgentTopics['ownerOf']>>,
  topic: string,
  deps: InboundMediaConsumerDeps,
): InboundMediaJob | null {
  const parsed = agentInboundEvent.safeParse(decodeJson(message.value));
  if (!parsed.success) {
    // Not ours to judge: the agent reads the same record; only a media event matters here.
    deps.logger.debug({ topic, offset: message.offset }, 'unreadable agent event skipped');
    return null;
  }
  return inboundMediaJob(parsed.data, owner, deps.defaultNumberId);
}

/** Runs `work` over `items`, at most `limit` at once; rejects with the first failure once all have settled. */
async function runAll<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
