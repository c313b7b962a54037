import { testKafkaSecurity } from '@wa-broker/infra/test-env';
import { numberChangeEvent, openToken } from '@wa-broker/shared/business-numbers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auth,
  startTestAdmin,
  type TestAdmin,
  testConfig,
  testNumberTokenKey,
  uniqueId,
} from './support/admin.js';
import { deleteTopics, type ReadMessage, readTopic, readWholeTopic, topicConfig } from './support/kafka.js';

let admin: TestAdmin;
beforeAll(async () => {
  admin = await startTestAdmin();
});
afterAll(() => admin.close());

const call = (target: TestAdmin, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  target.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

const plainToken = `EAAG${uniqueId()}plainGraphToken`;
const rotatedToken = `EAAG${uniqueId()}rotatedGraphToken`;

const newNumber = (phoneNumberId: string, token: object) => ({
  phone_number_id: phoneNumberId,
  waba_id: '102290129340398',
  display_phone_number: '+1 555-010-0000',
  name: `Line ${phoneNumberId}`,
  ...token,
});

const eventsOf = (messages: ReadMessage[]) =>
  messages.map((message) => numberChangeEvent.parse(message.value));

/** The sealed token of an event, opened with the tests' key. */
function openedToken(token: { source: string; ciphertext?: string }): string {
  if (token.source !== 'stored' || !token.ciphertext) throw new Error(`not a stored token: ${token.source}`);
  return openToken(testNumberTokenKey, token.ciphertext);
}

describe('number-change events on the compacted topic', () => {
  it('creates the topic compacted at start, with nothing on it for a registry without numbers', async () => {
    expect(await topicConfig(admin.config.NUMBER_CHANGES_TOPIC, 'cleanup.policy')).toBe('compact');
    expect(await readWholeTopic(admin.config.NUMBER_CHANGES_TOPIC)).toEqual([]);
  });

  it('publishes the full state after create, update (token rotation) and delete, keyed by phone_number_id, the token sealed', async () => {
    const id = '106540352242922';
    const created = await call(admin, 'POST', '/api/v2/numbers', newNumber(id, { token: plainToken }));
    expect(created.statusCode).toBe(201);
    expect((await call(admin, 'PATCH', `/api/v2/numbers/${id}`, { token: rotatedToken })).statusCode).toBe(
      200,
    );
    expect((await call(admin, 'DELETE', `/api/v2/numbers/${id}`)).statusCode).toBe(204);

    const messages = await readTopic(
      admin.config.NUMBER_CHANGES_TOPIC,
      (read) => read.filter((message) => message.key === id).length >= 3,
    );
    const mine = messages.filter((message) => message.key === id);
    for (const message of mine) {
      const raw = JSON.stringify(message.value);
      expect(raw).not.toContain(plainToken);
      expect(raw).not.toContain(rotatedToken);
    }
    const events = eventsOf(mine);
    expect(events.map((event) => event.type)).toEqual(['created', 'updated', 'deleted']);
    const { token_source: _source, token_secret: _secret, ...view } = created.json();
    expect(events[0]?.number).toEqual({
      ...view,
      token: { source: 'stored', ciphertext: expect.stringMatching(/^v1\./) },
    });
    expect(openedToken(events[0]?.number.token ?? { source: '' })).toBe(plainToken);
    expect(openedToken(events[1]?.number.token ?? { source: '' })).toBe(rotatedToken);
    expect(events[2]?.number).toMatchObject({ phone_number_id: id, active: false });
    expect(openedToken(events[2]?.number.token ?? { source: '' })).toBe(rotatedToken);
  });

  it('publishes a secret number’s token as the variable name', async () => {
    const id = '106540352242923';
    await call(admin, 'POST', '/api/v2/numbers', newNumber(id, { token_secret: 'WA_TOKEN_SUPPORT' }));
    const messages = await readTopic(admin.config.NUMBER_CHANGES_TOPIC, (read) =>
      read.some((message) => message.key === id),
    );
    const [event] = eventsOf(messages.filter((message) => message.key === id));
    expect(event).toMatchObject({
      type: 'created',
      number: { phone_number_id: id, token: { source: 'secret', name: 'WA_TOKEN_SUPPORT' } },
    });
  });

  it('publishes nothing for a rejected change', async () => {
    const before = await readWholeTopic(admin.config.NUMBER_CHANGES_TOPIC);
    const duplicate = await call(
      admin,
      'POST',
      '/api/v2/numbers',
      newNumber('106540352242923', { token: plainToken }),
    );
    expect(duplicate.statusCode).toBe(409);
    const unknownAgent = await call(admin, 'PATCH', '/api/v2/numbers/106540352242923', {
      agent_ids: [987654],
    });
    expect(unknownAgent.statusCode).toBe(400);
    const after = await readWholeTopic(admin.config.NUMBER_CHANGES_TOPIC);
    expect(after).toHaveLength(before.length);
  });

  it('republishes every number, deleted ones included, as a snapshot when an instance starts', async () => {
    const restarted = await startTestAdmin({
      ...admin.config,
      AGENT_CHANGES_TOPIC: `agent-changes-test-${uniqueId()}`,
      NUMBER_CHANGES_TOPIC: `number-changes-test-${uniqueId()}`,
    });
    try {
      const messages = await readTopic(restarted.config.NUMBER_CHANGES_TOPIC, (read) => read.length >= 2);
      expect(messages.map((message) => message.key).sort()).toEqual(['106540352242922', '106540352242923']);
      expect(JSON.stringify(messages)).not.toContain(rotatedToken);
      const events = eventsOf(messages);
      expect(events.map((event) => event.type)).toEqual(['snapshot', 'snapshot']);
      const byId = new Map(events.map((event) => [event.number.phone_number_id, event.number]));
      expect(byId.get('106540352242922')).toMatchObject({ active: false, token: { source: 'stored' } });
      expect(openedToken(byId.get('106540352242922')?.token ?? { source: '' })).toBe(rotatedToken);
      expect(byId.get('106540352242923')).toMatchObject({
        active: true,
        token: { source: 'secret', name: 'WA_TOKEN_SUPPORT' },
      });
    } finally {
      // Not close(): the schema is the first admin's.
      await restarted.app.close();
      await deleteTopics([restarted.config.AGENT_CHANGES_TOPIC, restarted.config.NUMBER_CHANGES_TOPIC]);
    }
  });
});

describe('a number change whose event cannot be published', () => {
  it('answers 503 change_not_published, keeps the committed row and counts the failure', async () => {
    const broken = await startTestAdmin(testConfig({ KAFKA_RETRIES: '1' }));
    try {
      // Deleting the topic under the running producer: auto-create is off, so the publish fails after retries.
      const { Kafka } = await import('kafkajs');
      const kafkaAdmin = new Kafka({ ...testKafkaSecurity(), brokers: broken.config.KAFKA_BROKERS }).admin();
      await kafkaAdmin.connect();
      await kafkaAdmin.deleteTopics({ topics: [broken.config.NUMBER_CHANGES_TOPIC] });
      await kafkaAdmin.disconnect();
      const response = await call(
        broken,
        'POST',
        '/api/v2/numbers',
        newNumber('300000000000001', { token: plainToken }),
      );
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        error: 'change_not_published',
        details: { phone_number_id: '300000000000001' },
      });
      expect(response.body).not.toContain(plainToken);
      const rows = await broken.sql('SELECT name FROM business_numbers');
      expect(rows.rows).toEqual([{ name: 'Line 300000000000001' }]);
      const metrics = await broken.app.inject({ method: 'GET', url: '/metrics', headers: auth });
      expect(metrics.body).toContain('admin_number_change_publish_failures_total 1');
      expect(metrics.body).toContain('admin_agent_change_publish_failures_total 0');
    } finally {
      await broken.close();
    }
  }, 90_000);
});
