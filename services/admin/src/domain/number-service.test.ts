import { DomainError } from '@wa-broker/shared/errors';
import { describe, expect, it } from 'vitest';
import type { BusinessNumber } from './business-number.js';
import { createNumberService } from './number-service.js';
import type { NumberChangeType, NumberStore } from './ports.js';

const now = new Date('2026-03-01T10:00:00Z');
const agentIds = [1, 2];

function memoryStore(): NumberStore & { rows: BusinessNumber[] } {
  const rows: BusinessNumber[] = [];
  return {
    rows,
    list: async () => ({ numbers: rows, total: rows.length }),
    get: async (id) => rows.find((row) => row.phoneNumberId === id) ?? null,
    all: async () => rows,
    existingAgentIds: async (ids) => ids.filter((id) => agentIds.includes(id)),
    async insert(draft, at) {
      const number = { ...draft, createdAt: at, updatedAt: at };
      rows.push(number);
      return number;
    },
    async update(id, draft, at) {
      const index = rows.findIndex((row) => row.phoneNumberId === id);
      const current = rows[index];
      if (!current) return null;
      const number = { ...current, ...draft, updatedAt: at };
      rows[index] = number;
      return number;
    },
  };
}

function setup(options: { publishFails?: boolean } = {}) {
  const store = memoryStore();
  const published: Array<{ type: NumberChangeType; id: string; active: boolean }> = [];
  const failures: string[] = [];
  const service = createNumberService({
    store,
    now: () => now,
    seal: (plain) => `sealed:${plain.length}`,
    publisher: {
      publish: async (changes) => {
        if (options.publishFails) throw new Error('kafka down');
        for (const { type, number } of changes)
          published.push({ type, id: number.phoneNumberId, active: number.active });
      },
    },
    onPublishFailed: (_error, number) => failures.push(number.phoneNumberId),
  });
  return { service, store, published, failures };
}

const input = (phoneNumberId: string, extra: object = {}) => ({
  phoneNumberId,
  wabaId: '900',
  displayPhoneNumber: '+1 555-010-0000',
  name: 'Sales',
  token: { plain: 'EAAG-token' },
  ...extra,
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

describe('number service', () => {
  it('registers the deployment’s number once, its token a secret, and leaves an existing one as the operator left it', async () => {
    const { service, store, published } = setup();
    const deployment = input('106540352242922', { token: { secretName: 'GRAPH_API_TOKEN' } });
    expect(await service.registerIfAbsent(deployment)).toMatchObject({ phoneNumberId: '106540352242922' });
    expect(store.rows[0]?.token).toEqual({ source: 'secret', name: 'GRAPH_API_TOKEN' });
    await service.update('106540352242922', { name: 'Main line' });
    expect(await service.registerIfAbsent(deployment)).toBeNull();
    expect(store.rows.map((row) => row.name)).toEqual(['Main line']);
    expect(published.map((change) => change.type)).toEqual(['created', 'updated']);
  });

  it('stores the sealed token and announces the created number', async () => {
    const { service, store, published } = setup();
    await service.create(input('100'));
    expect(store.rows[0]?.token).toEqual({ source: 'stored', ciphertext: 'sealed:10' });
    expect(published).toEqual([{ type: 'created', id: '100', active: true }]);
  });

  it('refuses a taken phone_number_id (409) and unknown agents (400), writing and announcing nothing', async () => {
    const { service, store, published } = setup();
    await service.create(input('100'));
    expect(await codeOf(service.create(input('100', { name: 'Other' })))).toBe('number_exists');
    expect(await codeOf(service.create(input('101', { agentIds: [1, 7] })))).toBe('invalid_number');
    expect(await codeOf(service.update('100', { name: 'Renamed', agentIds: [9] }))).toBe('invalid_number');
    expect(store.rows).toHaveLength(1);
    expect(store.rows[0]?.name).toBe('Sales');
    expect(published).toHaveLength(1);
  });

  it('accepts known agents; a change that leaves agent_ids alone does not check them', async () => {
    const { service, store } = setup();
    await service.create(input('100', { agentIds: [2] }));
    store.rows[0] = { ...(store.rows[0] as BusinessNumber), agentIds: [2, 5] }; // agent 5 is gone since
    expect((await service.update('100', { name: 'Renamed' })).name).toBe('Renamed');
  });

  it('answers number_not_found to an unknown id', async () => {
    const { service } = setup();
    expect(await codeOf(service.get('404'))).toBe('number_not_found');
    expect(await codeOf(service.update('404', { name: 'x' }))).toBe('number_not_found');
    expect(await codeOf(service.remove('404'))).toBe('number_not_found');
  });

  it('keeps a committed change whose event failed, reports it and answers change_not_published', async () => {
    const { service, store, failures } = setup({ publishFails: true });
    expect(await codeOf(service.create(input('100')))).toBe('change_not_published');
    expect(store.rows).toHaveLength(1);
    expect(failures).toEqual(['100']);
  });

  it('announces a delete once (idempotent), a PATCH to active=false as a delete and a restore as an update', async () => {
    const { service, published } = setup();
    await service.create(input('100'));
    await service.remove('100');
    await service.remove('100');
    await service.update('100', { active: true });
    await service.update('100', { active: false });
    expect(published.map((event) => [event.type, event.active])).toEqual([
      ['created', true],
      ['deleted', false],
      ['updated', true],
      ['deleted', false],
    ]);
  });

  it('republishes every number, deleted ones included, as a snapshot', async () => {
    const { service, published } = setup();
    await service.create(input('100'));
    await service.create(input('200', { token: { secretName: 'WA_TOKEN' } }));
    await service.remove('100');
    published.length = 0;
    expect(await service.republishAll()).toBe(2);
    expect(published).toEqual([
      { type: 'snapshot', id: '100', active: false },
      { type: 'snapshot', id: '200', active: true },
    ]);
  });
});
