import { DomainError } from '@wa-broker/shared/errors';
import { and, asc, count, eq, inArray, like, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { type AgentRow, agents } from '../db/schema.js';
import type { Agent, AgentDraft } from '../domain/agent.js';
import type { AdminErrorCode } from '../domain/errors.js';
import type { AgentQuery, AgentStore } from '../domain/ports.js';

const toAgent = (row: AgentRow): Agent => ({ ...row });

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function whereOf(query: AgentQuery): SQL | undefined {
  const conditions: SQL[] = [];
  if (query.active !== undefined) conditions.push(eq(agents.active, query.active));
  if (query.name) {
    const pattern = `%${escapeLike(query.name.contains)}%`;
    conditions.push(
      query.name.caseSensitive ? like(agents.name, pattern) : sql`${agents.name} ILIKE ${pattern}`,
    );
  }
  return and(...conditions);
}

/** A concurrent writer won the race the domain's conflict check could not see. */
function asConflict(error: unknown): unknown {
  const pgError = (error as { cause?: { code?: string; constraint?: string } }).cause ?? error;
  const { code, constraint } = pgError as { code?: string; constraint?: string };
  if (code !== '23505') return error;
  const isName = constraint === 'agents_active_name_key';
  return new DomainError<AdminErrorCode>(
    isName ? 'agent_exists' : 'topic_in_use',
    isName ? 'an active agent already has this name' : 'another active agent already uses this topic',
  );
}

export function createAgentStore(db: Database): AgentStore {
  return {
    async list(query) {
      const where = whereOf(query);
      const [rows, totals] = await Promise.all([
        db.select().from(agents).where(where).orderBy(asc(agents.id)).offset(query.offset).limit(query.limit),
        db.select({ total: count() }).from(agents).where(where),
      ]);
      return { agents: rows.map(toAgent), total: totals[0]?.total ?? 0 };
    },

    async get(id) {
      const [row] = await db.select().from(agents).where(eq(agents.id, id));
      return row ? toAgent(row) : null;
    },

    async findRivals(name, topics) {
      const list = [...topics];
      const rows = await db
        .select()
        .from(agents)
        .where(
          and(
            eq(agents.active, true),
            or(
              eq(agents.name, name),
              inArray(agents.readTopic, list),
              inArray(agents.writeTopic, list),
              inArray(agents.errorTopic, list),
            ),
          ),
        );
      return rows.map(toAgent);
    },

    async insert(draft: AgentDraft, now, beforeCommit) {
      try {
        return await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(agents)
            .values({ ...draft, createdAt: now, updatedAt: now })
            .returning();
          if (!row) throw new Error('insert returned no row');
          const agent = toAgent(row);
          await beforeCommit(agent);
          return agent;
        });
      } catch (error) {
        throw asConflict(error);
      }
    },

    async update(id, draft, now, beforeCommit) {
      try {
        return await db.transaction(async (tx) => {
          const [row] = await tx
            .update(agents)
            .set({ ...draft, updatedAt: now })
            .where(eq(agents.id, id))
            .returning();
          if (!row) return null;
          const agent = toAgent(row);
          await beforeCommit(agent);
          return agent;
        });
      } catch (error) {
        throw asConflict(error);
      }
    },

    async all() {
      const rows = await db.select().from(agents).orderBy(asc(agents.id));
      return rows.map(toAgent);
    },
  };
}
