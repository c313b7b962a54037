import { openToken } from '@wa-broker/shared/business-numbers';
import { describe, expect, it } from 'vitest';
import { testNumberTokenKey } from './support/admin.js';
import { numbersApi } from './support/numbers-api.js';

const { admin, agentId, call, plainToken, rotatedToken, newNumber, tableText } = numbersApi();

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
    const { rows } = await admin().sql(
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
    const { rows } = await admin().sql('SELECT token_ciphertext FROM business_numbers');
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
      agent_ids: [agentId()],
    });
    expect(response.statusCode).toBe(200);
    const number = response.json();
    expect(number).toMatchObject({
      name: 'Sales and returns',
      display_phone_number: '+1 555-010-0001',
      throughput_tier: 'high',
      agent_ids: [agentId()],
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
    const sealed = await admin().sql(
      'SELECT token_ciphertext FROM business_numbers WHERE phone_number_id = $1',
      [id],
    );
    expect(openToken(testNumberTokenKey, sealed.rows[0].token_ciphertext)).toBe(rotatedToken);

    const secret = await call('PATCH', `/api/v2/numbers/${id}`, { token_secret: 'WA_TOKEN_SALES' });
    expect(secret.json()).toMatchObject({ token_source: 'secret', token_secret: 'WA_TOKEN_SALES' });
    const named = await admin().sql(
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
      agent_ids: [1, agentId()],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      token_source: 'secret',
      token_secret: 'WA_TOKEN_SUPPORT',
      throughput_tier: 'high',
      agent_ids: [1, agentId()],
    });
    const { rows } = await admin().sql(
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
