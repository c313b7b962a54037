import type { SendOrigin } from '@wa-broker/shared/pricing';
import { and, asc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { agents, type MessageCostRow, messageCosts } from '../db/schema.js';
import type { CostReportRow, MessageCost } from '../domain/message-cost.js';
import type { CostStore } from '../domain/ports.js';

const toCost = (row: MessageCostRow): MessageCost => ({
  wamid: row.wamid,
  phoneNumberId: row.phoneNumberId,
  agentId: row.agentId,
  origin: row.origin as SendOrigin | null,
  messageType: row.messageType,
  template:
    row.templateName === null ? null : { name: row.templateName, language: row.templateLanguage ?? '' },
  sentAt: row.sentAt,
  pricedAt: row.pricedAt,
  pricing: {
    model: row.pricingModel,
    category: row.category,
    type: row.pricingType,
    metaBillable: row.metaBillable,
  },
  billable: row.billable,
  reportedAt: row.reportedAt,
  updatedAt: row.updatedAt,
});

const toColumns = (cost: MessageCost) => ({
  wamid: cost.wamid,
  phoneNumberId: cost.phoneNumberId,
  agentId: cost.agentId,
  origin: cost.origin,
  messageType: cost.messageType,
  templateName: cost.template?.name ?? null,
  templateLanguage: cost.template?.language ?? null,
  sentAt: cost.sentAt,
  pricedAt: cost.pricedAt,
  pricingModel: cost.pricing.model,
  category: cost.pricing.category,
  pricingType: cost.pricing.type,
  metaBillable: cost.pricing.metaBillable,
  billable: cost.billable,
  reportedAt: cost.reportedAt,
  updatedAt: cost.updatedAt,
});

/** Another writer inserted the wamid between this one's read and insert: read it again, under its lock. */
class InsertRace extends Error {}

const day = sql<string>`to_char(${messageCosts.reportedAt} at time zone 'UTC', 'YYYY-MM-DD')`;

export function createCostStore(db: Database): CostStore {
  /** Every wamid's row under its lock (in wamid order, so two batches cannot deadlock), then the changed rows. */
  const attemptAll = (
    wamids: readonly string[],
    change: (wamid: string, row: MessageCost | null) => MessageCost,
  ) =>
    db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(messageCosts)
        .where(inArray(messageCosts.wamid, [...wamids]))
        .orderBy(asc(messageCosts.wamid))
        .for('update');
      const found = new Map(rows.map((row) => [row.wamid, toCost(row)]));
      const results = wamids.map((wamid) => {
        const before = found.get(wamid) ?? null;
        return { wamid, before, after: change(wamid, before) };
      });
      const inserts = results
        .filter((r) => r.before === null)
        .map((r) => toColumns(r.after))
        .sort((a, b) => (a.wamid < b.wamid ? -1 : a.wamid > b.wamid ? 1 : 0));
      if (inserts.length > 0) {
        const inserted = await tx
          .insert(messageCosts)
          .values(inserts)
          .onConflictDoNothing()
          .returning({ wamid: messageCosts.wamid });
        if (inserted.length < inserts.length) throw new InsertRace();
      }
      for (const { wamid, before, after } of results)
        if (before !== null && after !== before)
          await tx.update(messageCosts).set(toColumns(after)).where(eq(messageCosts.wamid, wamid));
      return results;
    });
  // Records of one wamid share a partition, so a race needs a rebalance in between: rare, retried here.
  const retryInsertRace = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries += 1) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof InsertRace) || tries >= 3) throw error;
      }
    }
  };

  return {
    updateAll: async (wamids, change) =>
      wamids.length === 0 ? [] : retryInsertRace(() => attemptAll(wamids, change)),

    async report(query) {
      const conditions: SQL[] = [
        gte(messageCosts.reportedAt, query.start),
        lt(messageCosts.reportedAt, query.end),
      ];
      if (query.agentId !== undefined) conditions.push(eq(messageCosts.agentId, query.agentId));
      if (query.origin !== undefined) conditions.push(eq(messageCosts.origin, query.origin));
      if (query.category !== undefined) conditions.push(eq(messageCosts.category, query.category));
      const rows = await db
        .select({
          day,
          agentId: messageCosts.agentId,
          agentName: agents.name,
          origin: messageCosts.origin,
          category: messageCosts.category,
          messages: sql<number>`count(*)::int`,
          billable: sql<number>`(count(*) filter (where ${messageCosts.billable}))::int`,
        })
        .from(messageCosts)
        .leftJoin(agents, sql`${agents.id}::text = ${messageCosts.agentId}`)
        .where(and(...conditions))
        .groupBy(day, messageCosts.agentId, agents.name, messageCosts.origin, messageCosts.category)
        .orderBy(
          asc(day),
          sql`${messageCosts.agentId} asc nulls first`,
          sql`${messageCosts.origin} asc nulls last`,
          sql`${messageCosts.category} asc nulls last`,
        );
      return rows.map(
        (row): CostReportRow => ({
          day: row.day,
          agent_id: row.agentId,
          agent_name: row.agentName,
          origin: row.origin as SendOrigin | null,
          category: row.category,
          messages: row.messages,
          billable_messages: row.billable,
        }),
      );
    },
  };
}
