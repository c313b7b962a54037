import { DomainError } from '@wa-broker/shared/errors';
import { type MessageTemplateRecord, templateKey } from '@wa-broker/shared/message-templates';
import { describe, expect, it } from 'vitest';
import type { GraphResult, GraphTemplates, TemplateStore } from './ports.js';
import type { GraphTemplate, TemplateChange } from './template.js';
import { createTemplateService } from './template-service.js';

const waba = '102290129340398';
const now = new Date('2026-03-01T10:00:00Z');

const entry = (id: string, name: string, status = 'APPROVED'): GraphTemplate => ({
  id,
  name,
  language: 'en_US',
  status,
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Hello there' }],
});

function memoryStore(): TemplateStore & { rows: Map<string, MessageTemplateRecord> } {
  const rows = new Map<string, MessageTemplateRecord>();
  return {
    rows,
    list: async (query) =>
      [...rows.values()].filter(
        (t) =>
          (!query.wabaId || t.waba_id === query.wabaId) &&
          (!query.name || t.name === query.name) &&
          (!query.language || t.language === query.language),
      ),
    byId: async (id) => [...rows.values()].find((t) => t.id === id) ?? null,
    upsert: async (templates) => {
      for (const template of templates) rows.set(templateKey(template), template);
    },
  };
}

function setup(listing: GraphResult<GraphTemplate[]>) {
  const store = memoryStore();
  const published: TemplateChange[] = [];
  const graphCalls: string[] = [];
  const graph: GraphTemplates = {
    list: async () => {
      graphCalls.push('list');
      return listing;
    },
    create: async (_waba, _token, input) => {
      graphCalls.push(`create ${input.name}`);
      return { ok: true, value: { id: '777', status: 'PENDING', category: input.category } };
    },
    remove: async (_waba, _token, name, hsmId) => {
      graphCalls.push(`delete ${name} ${hsmId ?? ''}`);
      return { ok: true, value: undefined };
    },
  };
  const service = createTemplateService({
    store,
    graph,
    publisher: { publish: async (changes) => void published.push(...changes) },
    tokens: { wabaIds: async () => [waba], tokenFor: async (id) => (id === waba ? 'token' : null) },
    now: () => now,
    onPublishFailed: () => {},
    onProblem: () => {},
  });
  return { store, published, graphCalls, service };
}

describe('template service', () => {
  it('syncs, publishes what changed, and deletes what a complete listing lacks', async () => {
    const { store, published, service } = setup({ ok: true, value: [entry('1', 'a'), entry('2', 'b')] });
    await service.syncWaba(waba);
    expect(published.map((c) => [c.type, c.template.name])).toEqual([
      ['synced', 'a'],
      ['synced', 'b'],
    ]);
    published.length = 0;
    await service.syncWaba(waba);
    expect(published).toEqual([]);
    store.rows.set(`${waba}:c:en_US`, {
      ...(store.rows.get(`${waba}:a:en_US`) as MessageTemplateRecord),
      id: '3',
      name: 'c',
    });
    await service.syncWaba(waba);
    expect(published.map((c) => [c.type, c.template.name, c.template.status])).toEqual([
      ['synced', 'c', 'DELETED'],
    ]);
  });

  it('changes nothing when the listing fails', async () => {
    const { store, published, service } = setup({ ok: false, failure: { httpStatus: 500, message: 'down' } });
    await store.upsert([
      {
        id: '1',
        waba_id: waba,
        name: 'a',
        language: 'en_US',
        category: 'UTILITY',
        status: 'APPROVED',
        quality: 'UNKNOWN',
        reason: null,
        parameter_format: 'POSITIONAL',
        components: [],
        parameters: { header: null, body: { names: [] }, buttons: [] },
        updated_at: now.toISOString(),
      },
    ]);
    expect(await service.syncWaba(waba)).toMatchObject({ complete: false, changed: 0 });
    expect(published).toEqual([]);
    expect(store.rows.get(`${waba}:a:en_US`)?.status).toBe('APPROVED');
  });

  it('applies a webhook by Meta’s id, and syncs the WABA for an unknown id', async () => {
    const { published, graphCalls, service } = setup({ ok: true, value: [entry('1', 'a', 'PENDING')] });
    await service.syncWaba(waba);
    published.length = 0;
    const change = await service.applyBusinessEvent({
      field: 'message_template_status_update',
      waba_id: waba,
      value: { event: 'APPROVED', message_template_id: 1, reason: 'NONE' },
    });
    expect(change).toMatchObject({ type: 'status', template: { name: 'a', status: 'APPROVED' } });
    expect(published.map((c) => c.type)).toEqual(['status']);
    graphCalls.length = 0;
    expect(
      await service.applyBusinessEvent({
        field: 'message_template_quality_update',
        waba_id: waba,
        value: { new_quality_score: 'RED', message_template_id: 99 },
      }),
    ).toBe('synced');
    expect(graphCalls).toEqual(['list']);
    expect(await service.applyBusinessEvent({ field: 'account_update', waba_id: waba, value: {} })).toBe(
      'ignored',
    );
  });

  it('refuses a definition Meta would refuse without calling Meta', async () => {
    const { graphCalls, service } = setup({ ok: true, value: [] });
    const refusal = await service
      .create({
        wabaId: waba,
        name: 'Bad Name',
        language: 'en_US',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hi {{1}}' }],
      })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('invalid_template');
    const problems = ((refusal as DomainError).details?.fields ?? []) as { field: string }[];
    const fields = problems.map((p) => p.field);
    expect(fields).toContain('name');
    expect(fields).toContain('components[0].example');
    expect(graphCalls).toEqual([]);
  });

  it('creates, then deletes one language by its hsm_id', async () => {
    const { published, graphCalls, service } = setup({ ok: true, value: [] });
    const created = await service.create({
      wabaId: waba,
      name: 'hello',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello there' }],
    });
    expect(created).toMatchObject({ id: '777', status: 'PENDING', quality: 'UNKNOWN' });
    const deleted = await service.remove(waba, 'hello', 'en_US');
    expect(deleted.map((t) => t.status)).toEqual(['DELETED']);
    expect(graphCalls).toEqual(['create hello', 'delete hello 777']);
    expect(published.map((c) => c.type)).toEqual(['created', 'deleted']);
    await expect(service.remove(waba, 'hello')).rejects.toMatchObject({ code: 'template_not_found' });
    await expect(service.remove('1', 'hello')).rejects.toMatchObject({ code: 'waba_not_found' });
  });
});
