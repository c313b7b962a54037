import {
  type MessageTemplateRecord,
  messageTemplateRecord,
  type TemplateComponentDefinition,
  type TemplateParameterSpec,
} from '@wa-broker/shared/message-templates';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { type MessageTemplateRow, messageTemplates } from '../db/schema.js';
import type { TemplateQuery, TemplateStore } from '../domain/ports.js';

const toRecord = (row: MessageTemplateRow): MessageTemplateRecord =>
  messageTemplateRecord.parse({
    id: row.id,
    waba_id: row.wabaId,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    quality: row.quality,
    reason: row.reason,
    parameter_format: row.parameterFormat,
    components: row.components as TemplateComponentDefinition[],
    parameters: row.parameters as TemplateParameterSpec,
    updated_at: row.updatedAt.toISOString(),
  });

const toColumns = (template: MessageTemplateRecord) => ({
  wabaId: template.waba_id,
  name: template.name,
  language: template.language,
  id: template.id,
  category: template.category,
  status: template.status,
  quality: template.quality,
  reason: template.reason,
  parameterFormat: template.parameter_format,
  components: template.components,
  parameters: template.parameters,
  updatedAt: new Date(template.updated_at),
});

function whereOf(query: TemplateQuery): SQL | undefined {
  const conditions: SQL[] = [];
  if (query.wabaId !== undefined) conditions.push(eq(messageTemplates.wabaId, query.wabaId));
  if (query.name !== undefined) conditions.push(eq(messageTemplates.name, query.name));
  if (query.language !== undefined) conditions.push(eq(messageTemplates.language, query.language));
  if (query.status !== undefined) conditions.push(eq(messageTemplates.status, query.status));
  if (query.category !== undefined) conditions.push(eq(messageTemplates.category, query.category));
  return and(...conditions);
}

const ordered = [asc(messageTemplates.wabaId), asc(messageTemplates.name), asc(messageTemplates.language)];

export function createTemplateStore(db: Database): TemplateStore {
  return {
    async list(query) {
      const rows = await db
        .select()
        .from(messageTemplates)
        .where(whereOf(query))
        .orderBy(...ordered);
      return rows.map(toRecord);
    },

    async byId(id) {
      // A re-created template gets a new id; the newest row wins if an old one still carries it.
      const [row] = await db
        .select()
        .from(messageTemplates)
        .where(eq(messageTemplates.id, id))
        .orderBy(sql`${messageTemplates.updatedAt} desc`)
        .limit(1);
      return row ? toRecord(row) : null;
    },

    async upsert(templates) {
      if (templates.length === 0) return;
      await db.transaction(async (tx) => {
        for (const template of templates) {
          const columns = toColumns(template);
          const { wabaId: _w, name: _n, language: _l, ...rest } = columns;
          await tx
            .insert(messageTemplates)
            .values(columns)
            .onConflictDoUpdate({
              target: [messageTemplates.wabaId, messageTemplates.name, messageTemplates.language],
              set: rest,
            });
        }
      });
    },
  };
}
