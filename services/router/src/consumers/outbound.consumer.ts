import type { Logger } from '@wa-broker/shared/logger';
import { contextFromHeaders, inSpan, SpanKind, traceHeaders } from '@wa-broker/shared/trace-context';
import type { Consumer } from 'kafkajs';
import type { PartitionTransactions } from '../adapters/partition-transactions.kafka.js';
import type { OutRecord } from '../adapters/publisher.kafka.js';
import type { Metrics } from '../handlers/metrics.js';
import type { Emit, SourceMessage } from '../handlers/outbound-message.js';
import { groupByKey, runTransactionalBatches } from './transactional-batches.js';

export interface OutboundConsumerDeps {
  consumer: Consumer;
  topics: string[];
  transactions: PartitionTransactions;
  handle: (message: SourceMessage, emit: Emit) => Promise<void>;
  metrics: Metrics;
  deadLetterTopic: string;
  logger: Logger;
}

/**
 * One user's messages are handled in order; different users of a batch in parallel (a user waiting for their
 * pair limit does not hold up the others). What the batch produced (errors, handover events, dead letters) and
 * its offset are committed in one Kafka transaction once the whole batch is done; a failure aborts it and the
 * batch is replayed, where settled claims publish their records again (handlers/send-claim.ts).
 */
export async function startOutboundConsumer(deps: OutboundConsumerDeps): Promise<void> {
  await runTransactionalBatches({
    name: 'outbound',
    consumer: deps.consumer,
    topics: deps.topics,
    transactions: deps.transactions,
    partitionsConsumedConcurrently: 4,
    metrics: deps.metrics,
    deadLetterTopic: deps.deadLetterTopic,
    process: async (batch) => {
      const records: OutRecord[] = [];
      // What a message produces (errors, handovers) carries its trace: emitted under its outbound span.
      const emit: Emit = (produced) => void records.push(...produced.map(withActiveTrace));
      const beat = setInterval(() => void batch.heartbeat().catch(() => undefined), 2000);
      try {
        // Settled, not Promise.all: the replay after a failure must not overlap users still being sent.
        const results = await Promise.allSettled(
          [...groupByKey(batch.messages)].map(async (messages) => {
            for (const message of messages)
              await inSpan(
                'router.outbound',
                {
                  parent: contextFromHeaders(message.headers),
                  kind: SpanKind.CONSUMER,
                  attributes: { 'wa.topic': batch.topic },
                },
                () =>
                  deps.handle(
                    {
                      topic: batch.topic,
                      partition: batch.partition,
                      offset: message.offset,
                      value: message.value,
                    },
                    emit,
                  ),
              );
          }),
        );
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        return { records, lastOffset: batch.lastOffset };
      } finally {
        clearInterval(beat);
      }
    },
  });
}

function withActiveTrace(record: OutRecord): OutRecord {
  const trace = traceHeaders();
  return Object.keys(trace).length > 0 ? { ...record, headers: { ...record.headers, ...trace } } : record;
}
