import { testStackEnv } from '@wa-broker/infra/test-env';
import { joinOnce, outcomeOf } from '@wa-broker/infra/test-kafka-access';
import type { AgentKafkaCredential } from '@wa-broker/shared/agents';
import { createKafka, createReadCommittedConsumer } from '@wa-broker/shared/kafka';
import { removePrincipals } from '@wa-broker/shared/kafka-provisioning';
import { createLogger } from '@wa-broker/shared/logger';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, testConfig, uniqueId } from './support/admin.js';
import { deleteTopics } from './support/kafka.js';

// Issue 24 §2–3 through the admin's API: an agent is created with its own Kafka credential, which opens its
// topics and nothing else, stops working when the agent is deleted, and is replaced by rotation.
let admin: TestAdmin;
const prefix = `acc${uniqueId()}`;
const brokers = testStackEnv().KAFKA_BROKERS.split(',');
const logger = createLogger({ service: 'test', level: 'silent' });
// This run's stand-ins for the router, media and notify principals (the grants on each agent's topics).
const serving = { router: `${prefix}-router`, media: `${prefix}-media`, notify: `${prefix}-notify` };
const usernames: string[] = [];

beforeAll(async () => {
  admin = await startTestAdmin(
    testConfig({
      AGENT_KAFKA_ACCESS: 'true',
      KAFKA_ROUTER_USERNAME: serving.router,
      KAFKA_MEDIA_USERNAME: serving.media,
      KAFKA_NOTIFY_USERNAME: serving.notify,
    }),
  );
}, 60_000);
afterAll(async () => {
  const kafkaAdmin = superAdmin();
  await kafkaAdmin.connect();
  await removePrincipals(kafkaAdmin, [...usernames, ...Object.values(serving)]);
  await kafkaAdmin.disconnect();
  await admin.close();
  await deleteTopics((topic) => topic.startsWith(prefix));
}, 60_000);

const superAdmin = () =>
  new Kafka({
    brokers,
    sasl: {
      mechanism: 'scram-sha-512',
      username: admin.config.KAFKA_USERNAME ?? '',
      password: admin.config.KAFKA_PASSWORD ?? '',
    },
    logLevel: logLevel.NOTHING,
  }).admin();

const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  admin.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });

const agentClient = (credential: AgentKafkaCredential) =>
  createKafka({
    brokers,
    clientId: credential.username,
    logger,
    auth: { mechanism: 'scram-sha-512', username: credential.username, password: credential.password },
    retry: { retries: 0 },
    connectionTimeoutMs: 2000,
  });

/** Joins `groupId` on `topic` with the credential, then leaves (rejects with the refusal). */
const subscribe = (credential: AgentKafkaCredential, topic: string, groupId: string) =>
  joinOnce(createReadCommittedConsumer(agentClient(credential), { groupId, maxWaitTimeInMs: 100 }), topic);

const outcome = outcomeOf;

async function create(name: string): Promise<{ id: number; kafka: AgentKafkaCredential; in: string }> {
  const response = await call('POST', '/api/v2/agents', { name: `${prefix} ${name}` });
  expect(response.statusCode).toBe(201);
  const body = response.json();
  usernames.push(body.kafka.username);
  return { id: body.id, kafka: body.kafka, in: body.read_topic };
}

describe("agents' Kafka credentials through the admin API (issue 24)", () => {
  it('creating an agent returns its credential once; it opens its own topics and group, not another agent’s', async () => {
    const a = await create('Sales');
    const b = await create('Support');
    expect(a.kafka).toEqual({
      username: `agent-${prefix}_Sales`,
      password: expect.stringMatching(/^[\w-]{43}$/),
      mechanism: 'SCRAM-SHA-512',
      group_prefix: `${prefix}_Sales:`,
    });
    const read = await call('PATCH', `/api/v2/agents/${a.id}`, { description: 'quotes' });
    expect(read.json().kafka).toBeUndefined();

    expect(await outcome(() => subscribe(a.kafka, a.in, `${a.kafka.group_prefix}agent`))).toBe('allowed');
    expect(await outcome(() => subscribe(a.kafka, b.in, `${a.kafka.group_prefix}peek`))).toMatch(
      /TOPIC_AUTHORIZATION_FAILED/,
    );
    expect(await outcome(() => subscribe(a.kafka, a.in, `${b.kafka.group_prefix}agent`))).toMatch(
      /GROUP_AUTHORIZATION_FAILED/,
    );
    expect(
      await outcome(() => subscribe(a.kafka, admin.config.AGENT_CHANGES_TOPIC, `${a.kafka.group_prefix}x`)),
    ).toMatch(/TOPIC_AUTHORIZATION_FAILED/);
  }, 60_000);

  it('deleting the agent stops its credential within seconds; restoring issues a new one', async () => {
    const c = await create('Billing');
    const probe = agentClient(c.kafka).admin();
    await probe.connect();
    expect((await probe.fetchTopicMetadata({ topics: [c.in] })).topics).toHaveLength(1);
    const deletedAt = Date.now();
    expect((await call('DELETE', `/api/v2/agents/${c.id}`)).statusCode).toBe(204);
    // The connection opened before: refused on its next request. A new one: the credential is gone.
    expect(await outcome(() => probe.fetchTopicMetadata({ topics: [c.in] }))).toMatch(/AUTHORIZATION_FAILED/);
    expect(await outcome(() => agentClient(c.kafka).admin().connect())).toMatch(/SASL|auth/i);
    expect(Date.now() - deletedAt).toBeLessThan(10_000);
    await probe.disconnect();

    const restored = await call('PATCH', `/api/v2/agents/${c.id}`, { active: true });
    expect(restored.statusCode).toBe(200);
    const fresh: AgentKafkaCredential = restored.json().kafka;
    expect(fresh.password).not.toBe(c.kafka.password);
    expect(await outcome(() => subscribe(fresh, c.in, `${fresh.group_prefix}agent`))).toBe('allowed');
  }, 60_000);

  it('new topics move the rights with them; the credential stays', async () => {
    const e = await create('Returns');
    const moved = `${prefix}_Returns_v2-in`;
    const changed = await call('PATCH', `/api/v2/agents/${e.id}`, { read_topic: moved });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().kafka).toBeUndefined();
    expect(await outcome(() => subscribe(e.kafka, moved, `${e.kafka.group_prefix}agent`))).toBe('allowed');
    expect(await outcome(() => subscribe(e.kafka, e.in, `${e.kafka.group_prefix}agent`))).toMatch(
      /TOPIC_AUTHORIZATION_FAILED/,
    );
  }, 60_000);

  it('rotating replaces the secret: the old one is refused at once, the new one works', async () => {
    const d = await create('Bots');
    const rotated = await call('POST', `/api/v2/agents/${d.id}/kafka-credentials`);
    expect(rotated.statusCode).toBe(201);
    const fresh: AgentKafkaCredential = rotated.json();
    expect(fresh.username).toBe(d.kafka.username);
    expect(await outcome(() => agentClient(d.kafka).admin().connect())).toMatch(/SASL|auth/i);
    expect(await outcome(() => subscribe(fresh, d.in, `${fresh.group_prefix}agent`))).toBe('allowed');
    expect((await call('POST', '/api/v2/agents/999999/kafka-credentials')).statusCode).toBe(404);
  }, 60_000);
});
