import { testKafkaSecurity } from '@wa-broker/infra/test-env';
import { agentChangeEvent } from '@wa-broker/shared/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, testConfig, uniqueId } from './support/admin.js';
import { deleteTopics, type ReadMessage, readTopic, readWholeTopic, topicConfig } from './support/kafka.js';

let admin: TestAdmin;
const prefix = `evt${uniqueId()}`;
beforeAll(async () => {
  admin = await startTestAdmin();
});
afterAll(async () => {
  await admin.close();
  await deleteTopics((topic) => topic.startsWith(prefix));
});

const eventsOf = (messages: ReadMessage[]) =>
  messages.map((message) => agentChangeEvent.parse(message.value));

describe('agent-change events on the compacted topic', () => {
  it('creates the topic compacted and republishes every agent (the seed) at start as a snapshot', async () => {
    expect(await topicConfig(admin.config.AGENT_CHANGES_TOPIC, 'cleanup.policy')).toBe('compact');
    const messages = await readTopic(admin.config.AGENT_CHANGES_TOPIC, (read) => read.length >= 1);
    expect(messages[0]?.key).toBe('1');
    expect(eventsOf(messages)[0]).toEqual({
      v: 1,
      type: 'snapshot',
      agent: {
        id: 1,
        name: 'Agent A',
        slug: 'Agent_A',
        description: 'Demo agent seeded from the original broker',
        read_topic: 'agent_A-in',
        write_topic: 'agent_A-out',
        error_topic: 'agent_A-error',
        active: true,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
      published_at: expect.any(String),
    });
  });

  it('publishes the full state after create, update and delete (v2 and v1), keyed by agent id', async () => {
    const created = await admin.app.inject({
      method: 'POST',
      url: '/api/v2/agents',
      headers: auth,
      payload: { name: `${prefix} Support`, description: 'help' },
    });
    const id = created.json().id as number;
    await admin.app.inject({
      method: 'PATCH',
      url: `/api/v2/agents/${id}`,
      headers: auth,
      payload: { description: 'help desk' },
    });
    await admin.app.inject({ method: 'DELETE', url: `/api/v1/agent/delete/${id}`, headers: auth });

    const messages = await readTopic(
      admin.config.AGENT_CHANGES_TOPIC,
      (read) => read.filter((message) => message.key === String(id)).length >= 3,
    );
    const mine = eventsOf(messages.filter((message) => message.key === String(id)));
    expect(mine.map((event) => event.type)).toEqual(['created', 'updated', 'deleted']);
    expect(mine[0]?.agent).toEqual(created.json());
    expect(mine[1]?.agent).toMatchObject({ id, description: 'help desk', active: true });
    expect(mine[2]?.agent).toMatchObject({
      id,
      name: `${prefix} Support`,
      slug: `${prefix}_Support`,
      read_topic: `${prefix}_Support-in`,
      write_topic: `${prefix}_Support-out`,
      error_topic: `${prefix}_Support-error`,
      active: false,
    });
  });

  it('publishes nothing for a rejected change', async () => {
    const before = await readWholeTopic(admin.config.AGENT_CHANGES_TOPIC);
    const rejected = await admin.app.inject({
      method: 'POST',
      url: '/api/v2/agents',
      headers: auth,
      payload: { name: 'Agent A' },
    });
    expect(rejected.statusCode).toBe(409);
    const after = await readWholeTopic(admin.config.AGENT_CHANGES_TOPIC);
    expect(after).toHaveLength(before.length);
  });

  it('republishes every agent, deleted ones included, when a second instance starts on the same schema', async () => {
    const restarted = await startTestAdmin({
      ...admin.config,
      AGENT_CHANGES_TOPIC: `agent-changes-test-${uniqueId()}`,
    });
    try {
      const total = (await admin.sql('SELECT count(*)::int AS n FROM agents')).rows[0].n as number;
      const messages = await readTopic(restarted.config.AGENT_CHANGES_TOPIC, (read) => read.length >= total);
      const events = eventsOf(messages);
      expect(events).toHaveLength(total);
      expect(events.every((event) => event.type === 'snapshot')).toBe(true);
      expect(events.some((event) => !event.agent.active)).toBe(true);
    } finally {
      // Not close(): the schema is the first admin's.
      await restarted.app.close();
      await deleteTopics([restarted.config.AGENT_CHANGES_TOPIC]);
    }
  });
});

describe('a change whose event cannot be published', () => {
  it('answers 503 change_not_published, keeps the committed row and counts the failure', async () => {
    const broken = await startTestAdmin(testConfig({ KAFKA_RETRIES: '1' }));
    try {
      // Deleting the topic under the running producer: auto-create is off, so the publish fails after retries.
      const { Kafka } = await import('kafkajs');
      const kafkaAdmin = new Kafka({ ...testKafkaSecurity(), brokers: broken.config.KAFKA_BROKERS }).admin();
      await kafkaAdmin.connect();
      await kafkaAdmin.deleteTopics({ topics: [broken.config.AGENT_CHANGES_TOPIC] });
      await kafkaAdmin.disconnect();
      const response = await broken.app.inject({
        method: 'POST',
        url: '/api/v2/agents',
        headers: auth,
        payload: { name: `${prefix} Unannounced` },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ error: 'change_not_published', details: { id: 2 } });
      const rows = await broken.sql('SELECT name FROM agents WHERE id = 2');
      expect(rows.rows).toEqual([{ name: `${prefix} Unannounced` }]);
      const metrics = await broken.app.inject({ method: 'GET', url: '/metrics', headers: auth });
      expect(metrics.body).toContain('admin_agent_change_publish_failures_total 1');
    } finally {
      await broken.close();
    }
  }, 90_000);
});
