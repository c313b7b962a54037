import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, uniqueId } from './support/admin.js';
import { deleteTopics, topicExists } from './support/kafka.js';

let admin: TestAdmin;
// Topic names are global to the cluster: a per-file prefix keeps parallel runs apart.
const prefix = `v2t${uniqueId()}`;
beforeAll(async () => {
  admin = await startTestAdmin();
});
afterAll(async () => {
  await admin.close();
  await deleteTopics((topic) => topic.startsWith(prefix));
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  admin.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

describe('v2: create, read, change and delete agents', () => {
  let id: number;

  it('creates an agent with default <slug>-in/-out/-error topics (201, Location) and creates them in Kafka', async () => {
    const response = await call('POST', '/api/v2/agents', {
      name: `${prefix} Sales Team`,
      description: 'Quotes',
    });
    expect(response.statusCode).toBe(201);
    const agent = response.json();
    id = agent.id;
    expect(response.headers.location).toBe(`/api/v2/agents/${id}`);
    expect(agent).toEqual({
      id: expect.any(Number),
      name: `${prefix} Sales Team`,
      slug: `${prefix}_Sales_Team`,
      description: 'Quotes',
      read_topic: `${prefix}_Sales_Team-in`,
      write_topic: `${prefix}_Sales_Team-out`,
      error_topic: `${prefix}_Sales_Team-error`,
      active: true,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updated_at: agent.created_at,
    });
    expect(await topicExists(agent.read_topic, agent.write_topic, agent.error_topic)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('gets it by id', async () => {
    const response = await call('GET', `/api/v2/agents/${id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id, name: `${prefix} Sales Team`, active: true });
  });

  it('patches it: a rename keeps the slug and topics; a new topic is created in Kafka', async () => {
    const response = await call('PATCH', `/api/v2/agents/${id}`, {
      name: `${prefix} Sales`,
      error_topic: `${prefix}-sales-dlq`,
    });
    expect(response.statusCode).toBe(200);
    const agent = response.json();
    expect(agent).toMatchObject({
      name: `${prefix} Sales`,
      slug: `${prefix}_Sales_Team`,
      read_topic: `${prefix}_Sales_Team-in`,
      error_topic: `${prefix}-sales-dlq`,
    });
    expect(Date.parse(agent.updated_at)).toBeGreaterThanOrEqual(Date.parse(agent.created_at));
    expect(await topicExists(`${prefix}-sales-dlq`)).toEqual([true]);
  });

  it('deletes it softly (204, idempotent); GET still shows it with active=false', async () => {
    expect((await call('DELETE', `/api/v2/agents/${id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v2/agents/${id}`)).statusCode).toBe(204);
    const response = await call('GET', `/api/v2/agents/${id}`);
    expect(response.json()).toMatchObject({ id, active: false });
  });

  it('lets a new agent reuse a deleted agent’s name, and refuses to restore the old one then (409)', async () => {
    const reuse = await call('POST', '/api/v2/agents', {
      name: `${prefix} Sales`,
      read_topic: `${prefix}-s2-in`,
    });
    expect(reuse.statusCode).toBe(201);
    const restore = await call('PATCH', `/api/v2/agents/${id}`, { active: true });
    expect(restore.statusCode).toBe(409);
    expect(restore.json()).toMatchObject({
      error: 'agent_exists',
      details: { conflicting_id: reuse.json().id },
    });
  });
});

describe('v2: listing with pagination and filters', () => {
  beforeAll(async () => {
    for (const name of ['Alpha', 'alphabet', 'Beta', 'Gamma']) {
      await call('POST', '/api/v2/agents', { name: `${prefix}-list-${name}` });
    }
    const gamma = await call('GET', `/api/v2/agents?name=${prefix}-list-gamma`);
    await call('DELETE', `/api/v2/agents/${gamma.json().data[0].id}`);
  });

  it('filters by case-insensitive name substring', async () => {
    const response = await call('GET', `/api/v2/agents?name=${prefix}-LIST-alpha`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data.map((agent: { name: string }) => agent.name)).toEqual([
      `${prefix}-list-Alpha`,
      `${prefix}-list-alphabet`,
    ]);
  });

  it('filters by active', async () => {
    const inactive = await call('GET', `/api/v2/agents?name=${prefix}-list&active=false`);
    expect(inactive.json().data.map((agent: { name: string }) => agent.name)).toEqual([
      `${prefix}-list-Gamma`,
    ]);
    const active = await call('GET', `/api/v2/agents?name=${prefix}-list&active=true`);
    expect(active.json().total).toBe(3);
  });

  it('pages in id order with the total', async () => {
    const first = await call('GET', `/api/v2/agents?name=${prefix}-list&page=1&page_size=3`);
    expect(first.json()).toMatchObject({ page: 1, page_size: 3, total: 4 });
    expect(first.json().data).toHaveLength(3);
    const second = await call('GET', `/api/v2/agents?name=${prefix}-list&page=2&page_size=3`);
    expect(second.json().data.map((agent: { name: string }) => agent.name)).toEqual([`${prefix}-list-Gamma`]);
    const all = await call('GET', '/api/v2/agents');
    expect(all.json()).toMatchObject({ page: 1, page_size: 20 });
    expect(all.json().data[0]).toMatchObject({ id: 1, name: 'Agent A', read_topic: 'agent_A-in' });
  });

  it.each([
    ['page=0', 'page'],
    ['page_size=101', 'page_size'],
    ['active=maybe', 'active'],
    ['sort=name', 'sort'],
  ])('answers 400 with the field to ?%s', async (query, field) => {
    const response = await call('GET', `/api/v2/agents?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
    expect(response.json().fields.map((problem: { field: string }) => problem.field)).toContain(field);
  });
});

describe('v2 errors', () => {
  it('answers 400 with one entry per invalid field', async () => {
    const response = await call('POST', '/api/v2/agents', { name: '', read_topic: 'a b', error_topic: '..' });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error).toBe('invalid_request');
    expect(body.fields.map((problem: { field: string }) => problem.field).sort()).toEqual([
      'error_topic',
      'name',
      'read_topic',
    ]);
  });

  it('answers 400 to unknown fields and to an empty patch', async () => {
    const unknown = await call('POST', '/api/v2/agents', { name: `${prefix} x`, colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    const empty = await call('PATCH', '/api/v2/agents/1', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('must change at least one field');
  });

  it('answers 400 with the fields when a patch makes two topics equal', async () => {
    const response = await call('PATCH', '/api/v2/agents/1', { write_topic: 'agent_A-in' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'invalid_agent',
      message: 'write_topic: must differ from read_topic',
      fields: [{ field: 'write_topic', message: 'must differ from read_topic' }],
    });
  });

  it('answers 409 to a duplicate name and to a topic in use', async () => {
    const name = await call('POST', '/api/v2/agents', { name: 'Agent A', read_topic: `${prefix}-dup-in` });
    expect(name.statusCode).toBe(409);
    expect(name.json()).toMatchObject({ error: 'agent_exists', details: { conflicting_id: 1 } });
    const topic = await call('POST', '/api/v2/agents', { name: `${prefix} dup`, write_topic: 'agent_A-in' });
    expect(topic.statusCode).toBe(409);
    expect(topic.json()).toMatchObject({
      error: 'topic_in_use',
      details: { conflicting_id: 1, topic: 'agent_A-in' },
    });
  });

  it('answers 404 to unknown ids and 400 to malformed ones', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await call(method, '/api/v2/agents/987654');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'agent_not_found', message: 'agent not found: 987654' });
    }
    expect((await call('PATCH', '/api/v2/agents/987654', { description: 'x' })).statusCode).toBe(404);
    const malformed = await call('GET', '/api/v2/agents/-1');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().fields).toEqual([{ field: 'id', message: 'must be a positive integer' }]);
  });
});
