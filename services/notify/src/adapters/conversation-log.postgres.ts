import { and, asc, count, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { conversationEvents, conversations } from '../db/schema.js';
import type { ConversationEvent, ConversationEventKind } from '../domain/conversation-event.js';
import type {
  ConversationFilter,
  ConversationLog,
  ConversationSummary,
} from '../domain/conversation-ports.js';
import {
  type ConversationFacts,
  type ConversationState,
  conversationState,
  type LogPosition,
  type SessionFact,
} from '../domain/conversation-state.js';

type Facts = { user_key: string; events: number; first_at: string; last_at: string } & Record<
  'last_started' | 'last_ended' | 'last_inbound',
  { at: string; seq: number; agent?: string | null; reason?: string } | null
>;

const position = (fact: { at: string; seq: number } | null): LogPosition | null =>
  fact ? { at: new Date(fact.at), seq: Number(fact.seq) } : null;
const session = (fact: Facts['last_started']): SessionFact | null =>
  fact
    ? { at: new Date(fact.at), seq: Number(fact.seq), agent: fact.agent ?? null, reason: fact.reason ?? '' }
    : null;

/** The last event of a kind, as JSON, in log order (when the broker saw it, then arrival). */
const lastOf = (kind: ConversationEventKind) =>
  sql.raw(`(array_agg(json_build_object(
  'at', observed_at, 'seq', seq, 'agent', agent, 'reason', type) order by observed_at desc, seq desc)
  filter (where kind = '${kind}'))[1]`);

/** The call-event log in PostgreSQL: append once per event id, then refresh the touched conversations. */
export function createConversationLog(db: Database): ConversationLog {
  async function refresh(userKeys: string[], names: Map<string, string>): Promise<void> {
    const result = await db.execute<Facts>(sql`
      select user_key, count(*)::int as events, min(observed_at) as first_at, max(observed_at) as last_at,
        ${lastOf('session_started')} as last_started, ${lastOf('session_ended')} as last_ended,
        ${lastOf('inbound')} as last_inbound
      from ${conversationEvents} where ${inArray(conversationEvents.userKey, userKeys)} group by user_key`);
    const rows = result.rows.map((facts) => {
      const derived: ConversationFacts = {
        lastStarted: session(facts.last_started),
        lastEnded: session(facts.last_ended),
        lastInbound: position(facts.last_inbound),
      };
      const { state, agent } = conversationState(derived);
      return {
        userKey: facts.user_key,
        userName: names.get(facts.user_key) ?? null,
        state,
        agent,
        events: facts.events,
        firstActivityAt: new Date(facts.first_at),
        lastActivityAt: new Date(facts.last_at),
      };
    });
    if (rows.length === 0) return;
    await db
      .insert(conversations)
      .values(rows)
      .onConflictDoUpdate({
        target: conversations.userKey,
        set: {
          userName: sql`coalesce(excluded.user_name, ${conversations.userName})`,
          state: sql`excluded.state`,
          agent: sql`excluded.agent`,
          events: sql`excluded.events`,
          firstActivityAt: sql`excluded.first_activity_at`,
          lastActivityAt: sql`excluded.last_activity_at`,
        },
      });
  }

  return {
    /** Idempotent: an event id already stored is skipped (Kafka is at-least-once; replays re-read). */
    async append(events: readonly ConversationEvent[]): Promise<number> {
      if (events.length === 0) return 0;
      // One user, one conversation: an identity change brings the lines of the previous key along (idempotent).
      const moved: string[] = [];
      for (const event of events) {
        const previous = event.kind === 'identity_changed' ? event.detail?.previous_user : undefined;
        if (typeof previous !== 'string' || previous === event.userKey) continue;
        await db
          .update(conversationEvents)
          .set({ userKey: event.userKey })
          .where(eq(conversationEvents.userKey, previous));
        await db.delete(conversations).where(eq(conversations.userKey, previous));
        moved.push(event.userKey);
      }
      const inserted = await db
        .insert(conversationEvents)
        .values(events.map(({ userName: _name, ...event }) => event))
        .onConflictDoNothing({ target: conversationEvents.eventId })
        .returning({ userKey: conversationEvents.userKey });
      const names = new Map(events.flatMap((e) => (e.userName ? [[e.userKey, e.userName] as const] : [])));
      const touched = [...new Set([...inserted.map((r) => r.userKey), ...names.keys(), ...moved])];
      if (touched.length > 0) await refresh(touched, names);
      return inserted.length;
    },

    async list(filter: ConversationFilter): Promise<{ total: number; items: ConversationSummary[] }> {
      const where: SQL | undefined = and(
        filter.state ? eq(conversations.state, filter.state) : undefined,
        filter.agentIds ? or(...filter.agentIds.map((id) => eq(conversations.agent, id))) : undefined,
      );
      const [total] = await db.select({ n: count() }).from(conversations).where(where);
      const items = await db
        .select()
        .from(conversations)
        .where(where)
        .orderBy(desc(conversations.lastActivityAt), asc(conversations.userKey))
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize);
      return {
        total: total?.n ?? 0,
        items: items.map((row) => ({ ...row, state: row.state as ConversationState })),
      };
    },

    async get(userKey: string): Promise<ConversationSummary | undefined> {
      const [row] = await db.select().from(conversations).where(eq(conversations.userKey, userKey));
      return row ? { ...row, state: row.state as ConversationState } : undefined;
    },

    async events(userKey) {
      const rows = await db
        .select()
        .from(conversationEvents)
        .where(eq(conversationEvents.userKey, userKey))
        .orderBy(asc(conversationEvents.observedAt), asc(conversationEvents.seq));
      return rows.map((row) => ({
        ...row,
        kind: row.kind as ConversationEventKind,
        detail: row.detail as Record<string, unknown> | null,
      }));
    },
  };
}
