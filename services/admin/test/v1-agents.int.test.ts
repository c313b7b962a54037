import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin } from './support/admin.js';
import { deleteTopics, topicExists } from './support/kafka.js';

// The original Postman collection's requests, byte for byte (docs/original-go-broker.md §8).
const original = {
  create:
    '{"name": "Agent B", "read_topic": "agent_C-in", "write_topic": "agent_C-out", "error_topic": "agent_C-error"}',
  update:
    '{"id": 79, "name": "renato-atualizado", "read_topic": "renato-in", "write_topic": "renato-out", "error_topic": "renato-error"}',
};
const json = { ...auth, 'content-type': 'application/json' };

// The collection's names are fixed: deleted at the end unless they were there before (a developer's own agents).
const fixedTopics = ['agent_C', 'renato_old', 'renato', 'nome_1'].flatMap((slug) =>
  ['in', 'out', 'error'].map((suffix) => `${slug}-${suffix}`),
);
let preexisting: boolean[] = [];

let admin: TestAdmin;
beforeAll(async () => {
  preexisting = await topicExists(...fixedTopics);
  admin = await startTestAdmin();
});
afterAll(async () => {
  await admin.close();
  await deleteTopics(fixedTopics.filter((_, index) => !preexisting[index]));
});

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: string | object) =>
  admin.app.inject({ method, url, headers: payload === undefined ? auth : json, payload });

describe('v1: the original collection, in its order of use', () => {
  it('lists the seeded Agent A with PascalCase fields', async () => {
    const response = await call('GET', '/api/v1/agent');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(
      '{"data":[{"ID":1,"Name":"Agent A","ReadTopic":"agent_A-in","WriteTopic":"agent_A-out","ErrorTopic":"agent_A-error","Active":1}],"status":"success"}',
    );
  });

  it('creates "Agent B" from the original body, answers {"id":…} and creates its three topics', async () => {
    const response = await call('POST', '/api/v1/agent/create', original.create);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"id":2}');
    expect(await topicExists('agent_C-in', 'agent_C-out', 'agent_C-error')).toEqual([true, true, true]);
  });

  it('gets agent 2 as {"data":Agent,"status":"success"}', async () => {
    const response = await call('GET', '/api/v1/agent/2');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(
      '{"data":{"ID":2,"Name":"Agent B","ReadTopic":"agent_C-in","WriteTopic":"agent_C-out","ErrorTopic":"agent_C-error","Active":1},"status":"success"}',
    );
  });

  it('updates agent 79 from the original body and answers {"status":"success"}', async () => {
    await admin.sql('ALTER TABLE agents ALTER COLUMN id RESTART WITH 79');
    const created = await call('POST', '/api/v1/agent/create', {
      name: 'renato',
      read_topic: 'renato_old-in',
      write_topic: 'renato_old-out',
      error_topic: 'renato_old-error',
    });
    expect(created.json()).toEqual({ id: 79 });
    const response = await call('POST', '/api/v1/agent/update', original.update);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"status":"success"}');
    const agent = await call('GET', '/api/v1/agent/79');
    expect(agent.json().data).toEqual({
      ID: 79,
      Name: 'renato-atualizado',
      ReadTopic: 'renato-in',
      WriteTopic: 'renato-out',
      ErrorTopic: 'renato-error',
      Active: 1,
    });
    expect(await topicExists('renato-in', 'renato-out', 'renato-error')).toEqual([true, true, true]);
  });

  it('deletes agent 1 softly: {"status":"success"}, then 404 for it', async () => {
    const response = await call('DELETE', '/api/v1/agent/delete/1');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('{"status":"success"}');
    const gone = await call('GET', '/api/v1/agent/1');
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ internal_code: 'agent_not_found', message: 'agent not found: 1' });
    const row = await admin.sql('SELECT active FROM agents WHERE id = 1');
    expect(row.rows).toEqual([{ active: false }]);
    const list = await call('GET', '/api/v1/agent');
    expect(list.json().data.map((agent: { ID: number }) => agent.ID)).toEqual([2, 79]);
  });

  it('finds agents by name substring, case-sensitively, and 404s for /by-name/nome-1 when none match', async () => {
    const none = await call('GET', '/api/v1/agent/by-name/nome-1');
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({ internal_code: 'agent_not_found', message: 'agent not found: nome-1' });
    await call('POST', '/api/v1/agent/create', {
      name: 'nome-1',
      read_topic: 'nome_1-in',
      write_topic: 'nome_1-out',
      error_topic: 'nome_1-error',
    });
    const found = await call('GET', '/api/v1/agent/by-name/nome-1');
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      data: [{ Name: 'nome-1', ReadTopic: 'nome_1-in' }],
      status: 'success',
    });
    expect((await call('GET', '/api/v1/agent/by-name/Agent')).json().data).toHaveLength(1);
    expect((await call('GET', '/api/v1/agent/by-name/agent')).statusCode).toBe(404);
    // LIKE wildcards are literal: the original matched every agent here.
    expect((await call('GET', '/api/v1/agent/by-name/%25')).statusCode).toBe(404);
  });
});

describe('v1 errors: 400 for bad input, 404 for unknown ids, 409 for conflicts', () => {
  const body = { name: 'Err', read_topic: 'err-in', write_topic: 'err-out', error_topic: 'err-error' };

  it.each([
    ['an empty name', { ...body, name: '' }, 'name'],
    ['a missing topic', { name: 'Err', read_topic: 'err-in', write_topic: 'err-out' }, 'error_topic'],
    ['a topic Kafka rejects', { ...body, read_topic: 'bad topic!' }, 'read_topic'],
    ['a number for a string', { ...body, name: 7 }, 'name'],
  ])('answers 400 to a create with %s', async (_case, payload, field) => {
    const response = await call('POST', '/api/v1/agent/create', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().internal_code).toBe('invalid_request');
    expect(response.json().message).toContain(field);
  });

  it('answers 400 to malformed JSON and to an empty body', async () => {
    const malformed = await call('POST', '/api/v1/agent/create', '{"name": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().internal_code).toBe('invalid_request');
    const empty = await admin.app.inject({ method: 'POST', url: '/api/v1/agent/create', headers: json });
    expect(empty.statusCode).toBe(400);
  });

  it('answers 400 when one agent would use the same topic twice', async () => {
    const response = await call('POST', '/api/v1/agent/create', { ...body, write_topic: 'err-in' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      internal_code: 'invalid_agent',
      message: 'write_topic: must differ from read_topic',
    });
  });

  it('answers 409 to a duplicate name and to a topic another agent uses', async () => {
    const name = await call('POST', '/api/v1/agent/create', { ...body, name: 'Agent B' });
    expect(name.statusCode).toBe(409);
    expect(name.json().internal_code).toBe('agent_exists');
    const topic = await call('POST', '/api/v1/agent/create', { ...body, error_topic: 'agent_C-error' });
    expect(topic.statusCode).toBe(409);
    expect(topic.json()).toEqual({
      internal_code: 'topic_in_use',
      message: 'topic agent_C-error belongs to agent 2',
    });
  });

  it('answers 404 to updating an unknown or deleted agent, 400 to a string id', async () => {
    const unknown = await call('POST', '/api/v1/agent/update', { id: 4242, ...body });
    expect(unknown.statusCode).toBe(404);
    const deleted = await call('POST', '/api/v1/agent/update', { id: 1, ...body });
    expect(deleted.statusCode).toBe(404);
    const stringId = await call('POST', '/api/v1/agent/update', { id: '2', ...body });
    expect(stringId.statusCode).toBe(400);
  });

  it('answers 404 to deleting an unknown or already deleted agent, 400 to a non-integer id', async () => {
    expect((await call('DELETE', '/api/v1/agent/delete/4242')).statusCode).toBe(404);
    expect((await call('DELETE', '/api/v1/agent/delete/1')).statusCode).toBe(404);
    const bad = await call('DELETE', '/api/v1/agent/delete/x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().internal_code).toBe('invalid_request');
  });

  it('answers 400 to a non-integer id and 404 to an unknown one on GET', async () => {
    expect((await call('GET', '/api/v1/agent/abc')).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/agent/1e3')).statusCode).toBe(400);
    expect((await call('GET', '/api/v1/agent/4242')).statusCode).toBe(404);
  });
});
