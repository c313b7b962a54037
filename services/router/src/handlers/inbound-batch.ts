import type { DeliveryStatus } from '@wa-broker/shared/agent-inbound';
import type { Logger } from '@wa-broker/shared/logger';
import type { StatusEvent, WebhookEvent } from '@wa-broker/shared/webhook-events';
import type { Agent } from '../domain/agent.js';
import type { MenuTexts } from '../domain/menu.js';
import type {
  BatchStore,
  Clock,
  CommittedOffsetLookup,
  NumberDirectory,
  OutRecord,
  SentMessage,
  UserState,
} from '../domain/ports.js';
import type { RouterTexts } from '../domain/session.js';
import { deadLetterRecord } from './dead-letter.js';
import { routeActivity } from './inbound-activity.js';
import { conversationsToRead, namedUserKeys, type UserRef, userRefOf } from './inbound-identity.js';
import { type Batch, eventId, forwardStatus, routeMessage } from './inbound-routing.js';
import type { Metrics } from './metrics.js';

export interface InboundDeps {
  store: BatchStore;
  agents: () => Agent[];
  texts: RouterTexts & MenuTexts;
  routerOutTopic: string;
  deadLetterTopic: string;
  /** Where sends and statuses' pricing go for the cost report (message-costs.ts). */
  messageCostsTopic: string;
  /** The business numbers: whose menu offers which agent, and the default for events that name none. */
  numbers: Pick<NumberDirectory, 'defaultId' | 'offers'>;
  /** The inbound group's committed offset of a partition (null when none). */
  committedOffset: CommittedOffsetLookup;
  metrics: Metrics;
  logger: Logger;
  now: Clock;
}

/** One consumed record of the webhook topic: a readable event, or an unreadable one to park. */
export type ConsumedEvent =
  | {
      offset: string;
      event: WebhookEvent;
      rebuildOnly: boolean;
      /** Headers for every record produced for this event: its trace context (the consumer's hop span). */
      trace?: Readonly<Record<string, string>>;
    }
  | { offset: string; event: null; raw: Buffer | null };

export interface ConsumedBatch {
  topic: string;
  partition: number;
  /** The batch's last offset (a transaction marker may follow the last event). */
  lastOffset: string;
  events: readonly ConsumedEvent[];
  /** `checkpoint:<group>:<topic>:<partition>` in Redis. */
  checkpointKey: string;
}

/** What a batch's Kafka transaction must carry: the records, and the offset to commit after `lastOffset`. */
export interface RoutedBatch {
  records: OutRecord[];
  lastOffset: string;
}

/**
 * Routes a batch of webhook events for one partition; the caller publishes the result in the Kafka transaction
 * that also commits the consumed offsets. Reads state once, decides in memory in order (per-user order holds),
 * then writes the new state, dedup marks and a checkpoint (the batch's offsets and records) to Redis atomically,
 * before the transaction. Seeing offsets that the checkpoint already covers means that transaction never
 * committed (offsets commit with it): the stored records go out again, nothing is decided twice. README
 * "Exactly once" walks through every crash point.
 *
 * `rebuildOnly` events (a `pnpm replay --rebuild-state` after Redis was lost): the same decisions are taken, so
 * sessions, windows and dedup marks come out as they were, but nothing is published. These events were routed
 * once already, and with the dedup marks gone with Redis, publishing would greet users and feed agents twice.
 */
export async function routeInboundBatch(batch: ConsumedBatch, deps: InboundDeps): Promise<RoutedBatch> {
  const all = batch.events.filter((e): e is Extract<ConsumedEvent, { event: WebhookEvent }> => !!e.event);
  const events = all.map((e) => e.event);
  const ids = events.map(eventId).filter((id): id is string => Boolean(id));
  // Where each named id leads now (a phone to its BSUID, a replaced key to the new one) is read in the same
  // round trip as everything else, with the conversations of the ids as named: right unless an id leads
  // elsewhere, which costs following the leads and reading the conversations they reach (two more trips; rare:
  // a phone-only event after the BSUID was seen, an event from before an identity change).
  const named = namedUserKeys(events);
  const asNamed = refsOf(events, new Map(), deps);
  const loaded = await deps.store.loadBatch({
    checkpointKey: batch.checkpointKey,
    eventIds: ids,
    userKeys: conversationKeysOf(events, asNamed),
    wamids: [...new Set(events.filter((e): e is StatusEvent => e.kind === 'status').map((e) => e.item.id))],
    leadIds: named,
  });
  let refs = asNamed;
  if (loaded.leading.size > 0) {
    refs = refsOf(events, await deps.store.resolveUserKeys(named), deps);
    const keys = conversationKeysOf(events, refs);
    const missing = keys.filter((key) => !loaded.users.has(key));
    const more =
      missing.length > 0 ? await deps.store.loadBatch({ eventIds: [], userKeys: missing, wamids: [] }) : null;
    const wanted = new Set(keys);
    for (const key of [...loaded.users.keys()]) if (!wanted.has(key)) loaded.users.delete(key);
    for (const [key, state] of more?.users ?? []) loaded.users.set(key, state);
  }
  const { checkpoint } = loaded;
  const firstOffset = batch.events[0]?.offset ?? batch.lastOffset;
  // The checkpoint's records were never committed if its offsets come again: they go out first, as decided.
  // Rare (after a crash), so confirmed against the group's committed offset: a commit that was completing when
  // this consumer read its start offset (a zombie owner) has landed by now (our transaction fenced it).
  const uncommitted =
    checkpoint &&
    BigInt(checkpoint.last) >= BigInt(firstOffset) &&
    !(await isCommittedPast(deps, batch, checkpoint.last))
      ? checkpoint
      : null;
  // Warn: a recovery, rare, and what to look for when a copy is suspected (fault tests quote warnings only).
  if (uncommitted)
    deps.logger.warn(
      { topic: batch.topic, partition: batch.partition, first: uncommitted.first, last: uncommitted.last },
      'uncommitted batch published again',
    );
  const applied = checkpoint ? BigInt(checkpoint.last) : -1n;
  const pendingEvents = batch.events.filter((e) => BigInt(e.offset) > applied);
  const lastOffset = maxOffset(batch.lastOffset, uncommitted?.last);
  if (pendingEvents.length === 0) return { records: uncommitted?.records ?? [], lastOffset };

  const { seen } = loaded;
  const state: Batch = {
    deps,
    users: loaded.users,
    changed: new Map<string, UserState>(),
    identities: {
      phoneLinks: new Map(),
      movedKeys: new Map(),
      lastNumbers: new Map(),
      removedConversations: [],
    },
    records: [],
    statuses: loaded.statuses,
    statusWrites: new Map<string, DeliveryStatus>(),
    sentWrites: new Map<string, SentMessage>(),
    resolvedClaims: new Map<string, string>(),
  };
  const seenIds: string[] = [];
  let fresh = 0;
  for (const consumed of pendingEvents) {
    if (!consumed.event) {
      parkPoison(batch, consumed.offset, consumed.raw, state);
      continue;
    }
    const { event } = consumed;
    const id = eventId(event);
    // Messages and statuses always have an id (else nothing can dedupe them); activities may not (handovers).
    if (id ? seen.has(id) : event.kind === 'message' || event.kind === 'status') continue;
    if (id) {
      seen.add(id);
      seenIds.push(id);
    }
    fresh += 1;
    const produced = state.records.length;
    const emit = !consumed.rebuildOnly;
    const ref = refs.get(event) ?? null;
    if (event.kind === 'message') {
      if (ref) routeMessage(event, ref, state, emit);
      else deps.logger.warn({ trace_id: event.trace_id }, 'inbound message without a user');
    } else if (event.kind === 'status') forwardStatus(event, ref, state, emit);
    else if (event.kind === 'activity') {
      if (ref) routeActivity(event, ref, state, emit);
    } else
      deps.logger.warn(
        { code: event.item.code, phone_number_id: event.phone_number_id },
        'meta system error',
      );
    // A status of a message we sent reaches its agent in that message's trace (after the Graph API send).
    const sendTrace = event.kind === 'status' ? state.statuses.get(event.item.id)?.sent?.trace : undefined;
    const trace = sendTrace ? { traceparent: sendTrace } : consumed.trace;
    if (trace)
      for (let index = produced; index < state.records.length; index++) {
        const record = state.records[index];
        if (record) state.records[index] = { ...record, headers: { ...record.headers, ...trace } };
      }
  }
  deps.metrics.duplicates.inc(pendingEvents.length - fresh);
  const rebuilt = pendingEvents.filter((e) => e.event && e.rebuildOnly).length;
  if (rebuilt > 0) deps.logger.info({ events: rebuilt }, 'replayed events rebuilt state');
  const records = [...(uncommitted?.records ?? []), ...state.records];
  await deps.store.commitBatch({
    checkpointKey: batch.checkpointKey,
    expectedLast: checkpoint?.last ?? null,
    checkpoint: { first: uncommitted?.first ?? firstOffset, last: lastOffset, records },
    users: state.changed,
    identities: state.identities,
    statuses: state.statusWrites,
    seenIds,
    sent: state.sentWrites,
    resolvedClaims: state.resolvedClaims,
  });
  return { records, lastOffset };
}

function refsOf(
  events: readonly WebhookEvent[],
  resolved: ReadonlyMap<string, string>,
  deps: InboundDeps,
): Map<WebhookEvent, UserRef | null> {
  return new Map(events.map((event) => [event, userRefOf(event, resolved, deps.numbers.defaultId)]));
}

/** Every conversation the events may read (users and statuses of duplicates too: cheaper than a second trip). */
function conversationKeysOf(
  events: readonly WebhookEvent[],
  refs: ReadonlyMap<WebhookEvent, UserRef | null>,
): string[] {
  return [
    ...new Set(
      events.flatMap((event) => {
        const ref = refs.get(event);
        return ref ? conversationsToRead(event, ref) : [];
      }),
    ),
  ];
}

async function isCommittedPast(deps: InboundDeps, batch: ConsumedBatch, last: string): Promise<boolean> {
  const committed = await deps.committedOffset(batch.topic, batch.partition);
  return committed !== null && BigInt(committed) > BigInt(last);
}

function maxOffset(a: string, b: string | undefined): string {
  return b !== undefined && BigInt(b) > BigInt(a) ? b : a;
}

function parkPoison(batch: ConsumedBatch, offset: string, raw: Buffer | null, state: Batch): void {
  const { topic, partition } = batch;
  state.deps.logger.warn({ topic, partition, offset }, 'unreadable webhook event parked');
  state.records.push(
    deadLetterRecord(state.deps.deadLetterTopic, {
      reason: 'unreadable',
      text: 'unreadable webhook event',
      source: { topic, partition, offset },
      at: state.deps.now(),
      raw,
    }),
  );
}
