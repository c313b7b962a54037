import { openToken } from '@wa-broker/shared/business-numbers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, testNumberTokenKey, uniqueId } from './support/admin.js';
import { deleteTopics } from './support/kafka.js';

let admin: TestAdmin;
// Agent topics are global to the cluster: a per-file prefix keeps parallel runs apart.
const prefix = `num${uniqueId()}`;
let agentId: number;
beforeAll(async () => {
  admin = await startTestAdmin();
  const agent = await call('POST', '/api/v2/agents', { name: `${prefix} Sales` });
  agentId = agent.json().id;
});
afterAll(async () => {
  await admin.close();
  await deleteTopics((topic) => topic.startsWith(prefix));
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  admin.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

const plainToken = `EAAG${uniqueId()}plainGraphToken`;
const rotatedToken = `EAAG${uniqueId()}rotatedGraphToken`;

const newNumber = (phoneNumberId: string, extra: object = {}) => ({
  phone_number_id: phoneNumberId,
  waba_id: '102290129340398',
  display_phone_number: '+1 555-010-0000',
  name: 'Sales line',
  token: plainToken,
  ...extra,
});

/** Every row of the table as text: what "nothing changed" and "no plain token at rest" are checked on. */
const tableText = async () =>
  JSON.stringify((await admin.sql('SELECT * FROM business_numbers ORDER BY phone_number_id')).rows);

describe('v2 numbers: create, read, change and delete', () => {
  const id = '106540352242922';

  it('creates a number with a stored token (201, Location) and never returns the token', async () => {
    const response = await call('POST', '/api/v2/numbers', newNumber(id));
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe(`/api/v2/numbers/${id}`);
    const number = response.json();
    expect(number).toEqual({
      phone_number_id: id,
      waba_id: '102290129340398',
      display_phone_number: '+1 555-010-0000',
      name: 'Sales line',
      token_source: 'stored',
      token_secret: null,
      throughput_tier: 'standard',
      agent_ids: null,
      active: true,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updated_at: number.created_at,
    });
    expect(response.body).not.toContain(plainToken);
  });

  it('keeps only the sealed token at rest, and it opens to the token with NUMBER_TOKEN_KEY', async () => {
    const { rows } = await admin.sql(
      'SELECT token_source, token_ciphertext, token_secret_name FROM business_numbers WHERE phone_number_id = $1',
      [id],
    );
    expect(rows).toEqual([
      { token_source: 'stored', token_ciphertext: expect.stringMatching(/^v1\./), token_secret_name: null },
    ]);
    expect(openToken(testNumberTokenKey, rows[0].token_ciphertext)).toBe(plainToken);
    expect(await tableText()).not.toContain(plainToken);
  });

  it('gets it and lists it, without the token or its ciphertext', async () => {
    const { rows } = await admin.sql('SELECT token_ciphertext FROM business_numbers');
    const ciphertext = rows[0].token_ciphertext as string;
    const one = await call('GET', `/api/v2/numbers/${id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ phone_number_id: id, token_source: 'stored', active: true });
    const list = await call('GET', '/api/v2/numbers');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ page: 1, page_size: 20, total: 1 });
    expect(list.json().data).toEqual([one.json()]);
    for (const body of [one.body, list.body]) {
      expect(body).not.toContain(plainToken);
      expect(body).not.toContain(ciphertext);
      expect(body).not.toContain('ciphertext');
    }
  });

  it('patches any field: name, tier and agents', async () => {
    const response = await call('PATCH', `/api/v2/numbers/${id}`, {
      name: 'Sales and returns',
      display_phone_number: '+1 555-010-0001',
      throughput_tier: 'high',
      agent_ids: [agentId],
    });
    expect(response.statusCode).toBe(200);
    const number = response.json();
    expect(number).toMatchObject({
      name: 'Sales and returns',
      display_phone_number: '+1 555-010-0001',
      throughput_tier: 'high',
      agent_ids: [agentId],
      token_source: 'stored',
    });
    expect(Date.parse(number.updated_at)).toBeGreaterThanOrEqual(Date.parse(number.created_at));
    const back = await call('PATCH', `/api/v2/numbers/${id}`, { agent_ids: null });
    expect(back.json().agent_ids).toBeNull();
  });

  it('rotates the token: a new plain token is sealed, a secret name replaces it, and back', async () => {
    const rotated = await call('PATCH', `/api/v2/numbers/${id}`, { token: rotatedToken });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.body).not.toContain(rotatedToken);
    const sealed = await admin.sql(
      'SELECT token_ciphertext FROM business_numbers WHERE phone_number_id = $1',
      [id],
    );
    expect(openToken(testNumberTokenKey, sealed.rows[0].token_ciphertext)).toBe(rotatedToken);

    const secret = await call('PATCH', `/api/v2/numbers/${id}`, { token_secret: 'WA_TOKEN_SALES' });
    expect(secret.json()).toMatchObject({ token_source: 'secret', token_secret: 'WA_TOKEN_SALES' });
    const named = await admin.sql(
      'SELECT token_source, token_ciphertext, token_secret_name FROM business_numbers WHERE phone_number_id = $1',
      [id],
    );
    expect(named.rows).toEqual([
      { token_source: 'secret', token_ciphertext: null, token_secret_name: 'WA_TOKEN_SALES' },
    ]);

    const stored = await call('PATCH', `/api/v2/numbers/${id}`, { token: plainToken });
    expect(stored.json()).toMatchObject({ token_source: 'stored', token_secret: null });
  });

  it('deletes it softly (204, idempotent); GET still shows it with active=false; PATCH active:true restores it', async () => {
    expect((await call('DELETE', `/api/v2/numbers/${id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v2/numbers/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v2/numbers/${id}`)).json()).toMatchObject({ active: false });
    expect((await call('GET', '/api/v2/numbers?active=false')).json().total).toBe(1);
    expect((await call('GET', '/api/v2/numbers?active=true')).json().total).toBe(0);
    const restored = await call('PATCH', `/api/v2/numbers/${id}`, { active: true });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ active: true, token_source: 'stored' });
  });

  it('creates a number whose token is an environment variable, on a given tier and agents', async () => {
    const response = await call('POST', '/api/v2/numbers', {
      phone_number_id: '106540352242923',
      waba_id: '102290129340399',
      display_phone_number: '+1 555-010-0002',
      name: 'Support line',
      token_secret: 'WA_TOKEN_SUPPORT',
      throughput_tier: 'high',
      agent_ids: [1, agentId],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      token_source: 'secret',
      token_secret: 'WA_TOKEN_SUPPORT',
      throughput_tier: 'high',
      agent_ids: [1, agentId],
    });
    const { rows } = await admin.sql(
      'SELECT token_ciphertext, token_secret_name FROM business_numbers WHERE phone_number_id = $1',
      ['106540352242923'],
    );
    expect(rows).toEqual([{ token_ciphertext: null, token_secret_name: 'WA_TOKEN_SUPPORT' }]);
    const byWaba = await call('GET', '/api/v2/numbers?waba_id=102290129340399');
    expect(byWaba.json().data.map((number: { name: string }) => number.name)).toEqual(['Support line']);
  });

  it('pages the list with the total', async () => {
    const first = await call('GET', '/api/v2/numbers?page=1&page_size=1');
    expect(first.json()).toMatchObject({ page: 1, page_size: 1, total: 2 });
    expect(first.json().data.map((number: { phone_number_id: string }) => number.phone_number_id)).toEqual([
      id,
    ]);
    const second = await call('GET', '/api/v2/numbers?page=2&page_size=1');
    expect(second.json().data.map((number: { phone_number_id: string }) => number.phone_number_id)).toEqual([
      '106540352242923',
    ]);
  });
});

describe('v2 numbers: bad input changes nothing', () => {
  const id = '200000000000001';
  let before: string;
  beforeAll(async () => {
    expect((await call('POST', '/api/v2/numbers', newNumber(id, { agent_ids: [agentId] }))).statusCode).toBe(
      201,
    );
  });

  const unchanged = async () => expect(await tableText()).toBe(before);

  it('answers 409 to a duplicate phone_number_id', async () => {
    before = await tableText();
    const response = await call('POST', '/api/v2/numbers', newNumber(id, { name: 'Impostor' }));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: 'number_exists',
      message: `a number with phone_number_id ${id} exists`,
      details: { phone_number_id: id },
    });
    await unchanged();
  });

  it('answers 409 to a duplicate of a deleted number too (PATCH active:true restores it)', async () => {
    await call('DELETE', `/api/v2/numbers/${id}`);
    before = await tableText();
    expect((await call('POST', '/api/v2/numbers', newNumber(id))).statusCode).toBe(409);
    await unchanged();
    await call('PATCH', `/api/v2/numbers/${id}`, { active: true });
  });

  it('answers 400 when agent_ids names an agent that does not exist, on create and on patch', async () => {
    before = await tableText();
    const created = await call(
      'POST',
      '/api/v2/numbers',
      newNumber('200000000000002', { agent_ids: [987654] }),
    );
    expect(created.statusCode).toBe(400);
    expect(created.json()).toEqual({
      error: 'invalid_number',
      message: 'agent_ids: no agent has the id 987654',
      fields: [{ field: 'agent_ids', message: 'no agent has the id 987654' }],
      details: { unknown_agent_ids: [987654] },
    });
    const patched = await call('PATCH', `/api/v2/numbers/${id}`, {
      name: 'Changed',
      agent_ids: [agentId, 987654],
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().fields).toEqual([{ field: 'agent_ids', message: 'no agent has the id 987654' }]);
    await unchanged();
  });

  it('accepts a deleted agent’s id (it exists; it is offered again once restored)', async () => {
    const agent = await call('POST', '/api/v2/agents', { name: `${prefix} Gone` });
    await call('DELETE', `/api/v2/agents/${agent.json().id}`);
    const response = await call('PATCH', `/api/v2/numbers/${id}`, { agent_ids: [agent.json().id] });
    expect(response.statusCode).toBe(200);
    expect(response.json().agent_ids).toEqual([agent.json().id]);
  });

  it('answers 400 on token when both token forms or neither are given on create', async () => {
    before = await tableText();
    const both = await call(
      'POST',
      '/api/v2/numbers',
      newNumber('200000000000003', { token_secret: 'WA_TOKEN_X' }),
    );
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({
      error: 'invalid_request',
      fields: [{ field: 'token', message: 'give token or token_secret, not both' }],
    });
    const neither = await call('POST', '/api/v2/numbers', newNumber('200000000000003', { token: undefined }));
    expect(neither.statusCode).toBe(400);
    expect(neither.json().fields).toEqual([
      {
        field: 'token',
        message: 'give token (the Graph API token) or token_secret (an environment variable name)',
      },
    ]);
    const bothOnPatch = await call('PATCH', `/api/v2/numbers/${id}`, {
      token: rotatedToken,
      token_secret: 'WA_TOKEN_X',
    });
    expect(bothOnPatch.statusCode).toBe(400);
    expect(bothOnPatch.json().fields.map((problem: { field: string }) => problem.field)).toEqual(['token']);
    await unchanged();
  });

  it('answers 400 with one entry per invalid field, to unknown fields and to an empty patch', async () => {
    before = await tableText();
    const response = await call('POST', '/api/v2/numbers', {
      phone_number_id: '+1555',
      waba_id: 'abc',
      display_phone_number: '',
      name: ' ',
      token_secret: 'lower-case',
      throughput_tier: 'turbo',
      agent_ids: [0, 1],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
    expect(
      [...new Set(response.json().fields.map((problem: { field: string }) => problem.field))].sort(),
    ).toEqual([
      'agent_ids.0',
      'display_phone_number',
      'name',
      'phone_number_id',
      'throughput_tier',
      'token_secret',
      'waba_id',
    ]);
    const repeated = await call(
      'POST',
      '/api/v2/numbers',
      newNumber('200000000000004', { agent_ids: [1, 1] }),
    );
    expect(repeated.json().fields).toEqual([{ field: 'agent_ids', message: 'must not repeat an id' }]);
    const unknown = await call('POST', '/api/v2/numbers', newNumber('200000000000004', { colour: 'red' }));
    expect(unknown.json().fields).toEqual([{ field: 'colour', message: 'is not allowed' }]);
    const key = await call('PATCH', `/api/v2/numbers/${id}`, { phone_number_id: '200000000000005' });
    expect(key.statusCode).toBe(400);
    expect(key.json().fields).toContainEqual({ field: 'phone_number_id', message: 'is not allowed' });
    const empty = await call('PATCH', `/api/v2/numbers/${id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('must change at least one field');
    await unchanged();
  });

  it('answers 404 to unknown ids and 400 to malformed ones', async () => {
    before = await tableText();
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await call(method, '/api/v2/numbers/987654321');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'number_not_found', message: 'number not found: 987654321' });
    }
    const patch = await call('PATCH', '/api/v2/numbers/987654321', { name: 'x' });
    expect(patch.statusCode).toBe(404);
    const malformed = await call('GET', '/api/v2/numbers/not-a-number');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().fields).toEqual([
      { field: 'phone_number_id', message: 'must be Meta’s numeric id' },
    ]);
    await unchanged();
  });

  it.each([
    ['page=0', 'page'],
    ['page_size=101', 'page_size'],
    ['active=maybe', 'active'],
    ['waba_id=x', 'waba_id'],
    ['name=x', 'name'],
  ])('answers 400 with the field to ?%s', async (query, field) => {
    const response = await call('GET', `/api/v2/numbers?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().fields.map((problem: { field: string }) => problem.field)).toContain(field);
  });
});
