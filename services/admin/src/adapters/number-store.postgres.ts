import type { NumberToken } from '@wa-broker/shared/business-numbers';
import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { agents, type BusinessNumberRow, businessNumbers } from '../db/schema.js';
import type { BusinessNumber, NumberDraft } from '../domain/business-number.js';
import { numberExists } from '../domain/errors.js';
import type { NumberQuery, NumberStore } from '../domain/ports.js';

function tokenOf(row: BusinessNumberRow): NumberToken {
  if (row.tokenSource === 'stored' && row.tokenCiphertext)
    return { source: 'stored', ciphertext: row.tokenCiphertext };
  if (row.tokenSource === 'secret' && row.tokenSecretName)
    return { source: 'secret', name: row.tokenSecretName };
  // The table's check constraint makes this unreachable.
  throw new Error(`business number ${row.phoneNumberId} has no ${row.tokenSource} token`);
}

const toNumber = (row: BusinessNumberRow): BusinessNumber => {
  const { tokenSource: _source, tokenCiphertext: _ciphertext, tokenSecretName: _name, ...rest } = row;
  return { ...rest, token: tokenOf(row) };
};

const toColumns = ({ token, ...draft }: NumberDraft) => ({
  ...draft,
  tokenSource: token.source,
  tokenCiphertext: token.source === 'stored' ? token.ciphertext : null,
  tokenSecretName: token.source === 'secret' ? token.name : null,
});

function whereOf(query: NumberQuery): SQL | undefined {
  const conditions: SQL[] = [];
  if (query.active !== undefined) conditions.push(eq(businessNumbers.active, query.active));
  if (query.wabaId !== undefined) conditions.push(eq(businessNumbers.wabaId, query.wabaId));
  return and(...conditions);
}

const byAge = [asc(businessNumbers.createdAt), asc(businessNumbers.phoneNumberId)];

export function createNumberStore(db: Database): NumberStore {
  return {
    async list(query) {
      const where = whereOf(query);
      const [rows, totals] = await Promise.all([
        db
          .select()
          .from(businessNumbers)
          .where(where)
          .orderBy(...byAge)
          .offset(query.offset)
          .limit(query.limit),
        db.select({ total: count() }).from(businessNumbers).where(where),
      ]);
      return { numbers: rows.map(toNumber), total: totals[0]?.total ?? 0 };
    },

    async get(phoneNumberId) {
      const [row] = await db
        .select()
        .from(businessNumbers)
        .where(eq(businessNumbers.phoneNumberId, phoneNumberId));
      return row ? toNumber(row) : null;
    },

    async insert(draft, now) {
      try {
        const [row] = await db
          .insert(businessNumbers)
          .values({ ...toColumns(draft), createdAt: now, updatedAt: now })
          .returning();
        if (!row) throw new Error('insert returned no row');
        return toNumber(row);
      } catch (error) {
        // A concurrent create won the race the service's check could not see.
        const pgError = (error as { cause?: { code?: string } }).cause ?? error;
        if ((pgError as { code?: string }).code === '23505') throw numberExists(draft.phoneNumberId);
        throw error;
      }
    },

    async update(phoneNumberId, draft, now) {
      const [row] = await db
        .update(businessNumbers)
        .set({ ...toColumns(draft), updatedAt: now })
        .where(eq(businessNumbers.phoneNumberId, phoneNumberId))
        .returning();
      return row ? toNumber(row) : null;
    },

    async all() {
      const rows = await db
        .select()
        .from(businessNumbers)
        .orderBy(...byAge);
      return rows.map(toNumber);
    },

    async existingAgentIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .select({ id: agents.id })
        .from(agents)
        .where(inArray(agents.id, [...ids]));
      return rows.map((row) => row.id);
    },
  };
}
