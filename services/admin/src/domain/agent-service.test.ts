import type { AgentChangeType } from '@wa-broker/shared/agents';
import { DomainError } from '@wa-broker/shared/errors';
import { describe, expect, it } from 'vitest';
import type { Agent } from './agent.js';
import { createAgentService } from './agent-service.js';
import type { AgentStore } from './ports.js';

const now = new Date('2025-06-01T12:00:00Z');

/** An in-memory store with the transaction semantics the service relies on (beforeCommit failure = no write). */
function memoryStore(): AgentStore & { rows: Agent[] } {
  const rows: Agent[] = [];
  return {
    rows,
    list: async () => ({ agents: rows, total: rows.length }),
    get: async (id) => rows.find((row) => row.id === id) ?? null,
    findRivals: async () => rows,
    all: async () => rows,
    async insert(draft, at, beforeCommit) {
      const agent = { ...draft, id: rows.length + 1, createdAt: at, updatedAt: at };
      await beforeCommit(agent);
      rows.push(agent);
      return agent;
    },
    async update(id, draft, at, beforeCommit) {
      const index = rows.findIndex((row) => row.id === id);
      const current = rows[index];
      if (!current) return null;
      const agent = { ...current, ...draft, updatedAt: at };
      await beforeCommit(agent);
      rows[index] = agent;
      return agent;
    },
  };
}

function setup(options: { publishFails?: boolean; topicsFail?: boolean } = {}) {
  const store = memoryStore();
  const published: Array<{ type: AgentChangeType; id: number; active: boolean }> = [];
  const provisioned: string[][] = [];
  const failures: number[] = [];
  const service = createAgentService({
    store,
    now: () => now,
    topics: {
      ensureAgentTopics: async (topics) => {
        if (options.topicsFail) throw new Error('kafka down');
        provisioned.push([...topics]);
      },
    },
    publisher: {
      publish: async (changes) => {
        if (options.publishFails) throw new Error('kafka down');
        for (const { type, agent } of changes) published.push({ type, id: agent.id, active: agent.active });
      },
    },
    onPublishFailed: (_error, agent) => failures.push(agent.id),
  });
  return { service, store, published, provisioned, failures };
}

describe('agent service', () => {
  it('creates the topics, then announces the created agent', async () => {
    const { service, published, provisioned } = setup();
    await service.create({ name: 'Sales' });
    expect(provisioned).toEqual([['Sales-in', 'Sales-out', 'Sales-error']]);
    expect(published).toEqual([{ type: 'created', id: 1, active: true }]);
  });

  it('saves nothing when the topics cannot be created', async () => {
    const { service, store, published } = setup({ topicsFail: true });
    await expect(service.create({ name: 'Sales' })).rejects.toThrow('kafka down');
    expect(store.rows).toEqual([]);
    expect(published).toEqual([]);
  });

  it('keeps a committed change whose event failed, reports it and answers change_not_published', async () => {
    const { service, store, failures } = setup({ publishFails: true });
    const error = await service.create({ name: 'Sales' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('change_not_published');
    expect(store.rows).toHaveLength(1);
    expect(failures).toEqual([1]);
  });

  it('announces a delete as the record with active=false, once', async () => {
    const { service, published } = setup();
    await service.create({ name: 'Sales' });
    await service.remove(1, { idempotent: true });
    await service.remove(1, { idempotent: true });
    expect(published.at(-1)).toEqual({ type: 'deleted', id: 1, active: false });
    expect(published).toHaveLength(2);
    await expect(service.remove(1, { idempotent: false })).rejects.toThrow('agent not found: 1');
  });

  it('announces a PATCH to active=false as a delete, and a restore as an update', async () => {
    const { service, published } = setup();
    await service.create({ name: 'Sales' });
    await service.update(1, { active: false }, false);
    await service.update(1, { active: true }, false);
    expect(published.map((event) => event.type)).toEqual(['created', 'deleted', 'updated']);
  });

  it('republishes every agent as a snapshot and provisions only the active ones’ topics', async () => {
    const { service, published, provisioned } = setup();
    await service.create({ name: 'A' });
    await service.create({ name: 'B' });
    await service.remove(1, { idempotent: true });
    provisioned.length = 0;
    published.length = 0;
    expect(await service.republishAll()).toBe(2);
    expect(published).toEqual([
      { type: 'snapshot', id: 1, active: false },
      { type: 'snapshot', id: 2, active: true },
    ]);
    expect(provisioned).toEqual([['B-in', 'B-out', 'B-error']]);
  });
});
