import { beforeAll, describe, expect, it } from 'vitest';
import { numbersApi } from './support/numbers-api.js';

const { agentId, prefix, call, rotatedToken, newNumber, tableText } = numbersApi();

describe('v2 numbers: bad input changes nothing', () => {
  const id = '200000000000001';
  let before: string;
  beforeAll(async () => {
    expect(
      (await call('POST', '/api/v2/numbers', newNumber(id, { agent_ids: [agentId()] }))).statusCode,
    ).toBe(201);
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
      agent_ids: [agentId(), 987654],
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
