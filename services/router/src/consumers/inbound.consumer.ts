import { decodeJson } from '@wa-broker/shared/kafka';
import { userRef } from '@wa-broker/shared/log-privacy';
import type { Logger } from '@wa-broker/shared/logger';
import {
  contextFromHeaders,
  contextWithSpan,
  endSpan,
  type Span,
  SpanKind,
  startSpan,
  traceHeaders,
} from '@wa-broker/shared/trace-context';
import {
  replayHeaders,
  type WebhookEvent,
  WebhookEvent as webhookEvent,
} from '@wa-broker/shared/webhook-events';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { PartitionTransactions } from '../adapters/partition-transactions.kafka.js';
import type { ConsumedBatch, ConsumedEvent, RoutedBatch } from '../handlers/inbound-batch.js';
import type { Metrics } from '../handlers/metrics.js';
import { runTransactionalBatches } from './transactional-batches.js';

export interface InboundConsumerDeps {
  consumer: Consumer;
  topic: string;
  transactions: PartitionTransactions;
  /** `checkpoint:<group>:<topic>:<partition>` in Redis. */
  checkpointKey: (topic: string, partition: number) => string;
  routeBatch: (batch: ConsumedBatch) => Promise<RoutedBatch>;
  metrics: Metrics;
  deadLetterTopic: string;
  logger: Logger;
}

/** Transport only: the webhook topic's batches, routed in transactions (transactional-batches.ts). */
export async function startInboundConsumer(deps: InboundConsumerDeps): Promise<void> {
  await runTransactionalBatches({
    name: 'inbound',
    consumer: deps.consumer,
    topics: [deps.topic],
    transactions: deps.transactions,
    // Every partition a router holds in one round (the webhook creates its topic with 6): kafkajs fetches again
    // only once every batch of a fetch has committed, so fewer workers than batches meant a second round of
    // transactions, one after another, in each fetch.
    partitionsConsumedConcurrently: 12,
    metrics: deps.metrics,
    deadLetterTopic: deps.deadLetterTopic,
    process: async (batch) => {
      // One hop span per event, child of the webhook's (the record's headers); what the event produces carries it.
      const spans: Span[] = [];
      const events = batch.messages.map((message) => toConsumedEvent(message, spans));
      try {
        const routed = await deps.routeBatch({
          topic: batch.topic,
          partition: batch.partition,
          lastOffset: batch.lastOffset,
          events,
          checkpointKey: deps.checkpointKey(batch.topic, batch.partition),
        });
        for (const span of spans) endSpan(span);
        return routed;
      } catch (error) {
        for (const span of spans) endSpan(span, error);
        throw error;
      }
    },
  });
}

function toConsumedEvent(message: KafkaMessage, spans: Span[]): ConsumedEvent {
  const parsed = webhookEvent.safeParse(decodeJson(message.value));
  if (!parsed.success) return { offset: message.offset, event: null, raw: message.value };
  const rebuildOnly = message.headers?.[replayHeaders.mode]?.toString() === 'rebuild-state';
  const parent = contextFromHeaders(message.headers);
  const span = startSpan('router.inbound', parent, eventAttributes(parsed.data), SpanKind.CONSUMER);
  spans.push(span);
  const trace = traceHeaders(contextWithSpan(span, parent));
  return {
    offset: message.offset,
    event: parsed.data,
    rebuildOnly,
    ...(Object.keys(trace).length > 0 ? { trace } : {}),
  };
}

/** The wamid and the user's pseudonym, never a text (issue 21 §2). */
function eventAttributes(event: WebhookEvent): Record<string, string> {
  const attributes: Record<string, string> = { 'wa.kind': event.kind };
  const wamid = event.kind === 'message' || event.kind === 'status' ? event.item.id : undefined;
  if (wamid) attributes['wa.wamid'] = wamid;
  const user = event.kind === 'message' ? (event.item.from_user_id ?? event.item.from) : undefined;
  if (user) attributes['wa.user'] = userRef(user);
  return attributes;
}
