import { randomUUID } from 'node:crypto';
import { testKafkaAuth, testStackEnv } from '@wa-broker/infra/test-env';
import { outcomeOf } from '@wa-broker/infra/test-kafka-access';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  type Kafka,
  ResourcePatternTypes,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafka,
  createReadCommittedConsumer,
  credentialProbe,
  encodeJson,
  ensureTopics,
} from '../src/kafka.js';
import { agentGrants, agentGroupPrefix, agentUsername } from '../src/kafka-access.js';
import {
  awaitCredentials,
  newKafkaSecret,
  provisionPrincipals,
  removePrincipals,
  upsertScramUser,
} from '../src/kafka-provisioning.js';
import { createLogger } from '../src/logger.js';

// Issue 24 §3: one agent's credentials open its own topics and groups and nothing else, on the real broker with
// the StandardAuthorizer (the stack's Kafka refuses what no ACL allows).
const brokers = testStackEnv().KAFKA_BROKERS.split(',');
const logger = createLogger({ service: 'test', level: 'silent' });
const run = randomUUID().slice(0, 8);
const slugA = `iso_a_${run}`;
const slugB = `iso_b_${run}`;
const topicsOf = (slug: string) => ({ in: `${slug}-in`, out: `${slug}-out`, error: `${slug}-error` });
const rawLog = `iso-raw-${run}`;
const secrets = { a: newKafkaSecret(), b: newKafkaSecret() };

const probe = credentialProbe(logger, testKafkaAuth().tls);
const superKafka = createKafka({ auth: testKafkaAuth(), brokers, clientId: 'iso-super', logger });
let admin: Admin;
const clients: { disconnect(): Promise<void> }[] = [];

const agentKafka = (slug: string, password: string, retries = 2): Kafka =>
  createKafka({
    brokers,
    clientId: `iso-${slug}`,
    logger,
    auth: { mechanism: 'scram-sha-512', username: agentUsername(slug), password },
    retry: { retries, initialRetryTime: 100 },
    connectionTimeoutMs: 2000,
  });

const refusal = outcomeOf;

async function readOne(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const consumer = createReadCommittedConsumer(kafka, { groupId, maxWaitTimeInMs: 100 });
  clients.push(consumer);
  await consumer.connect();
  return new Promise<string>((resolve, reject) => {
    consumer
      .subscribe({ topic, fromBeginning: true })
      .then(() =>
        consumer.run({
          eachMessage: async ({ message }) => resolve(message.value?.toString() ?? ''),
        }),
      )
      .catch(reject);
    consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
  }).finally(() => consumer.disconnect());
}

beforeAll(async () => {
  admin = superKafka.admin();
  await admin.connect();
  const specs = [...Object.values(topicsOf(slugA)), ...Object.values(topicsOf(slugB)), rawLog].map(
    (topic) => ({ topic, numPartitions: 1 }),
  );
  await ensureTopics(admin, specs, { replicationFactor: 1 });
  const producer = superKafka.producer();
  await producer.connect();
  for (const topic of [topicsOf(slugA).in, topicsOf(slugB).in, rawLog])
    await producer.send({ topic, messages: [{ key: 'u', value: encodeJson({ on: topic }) }] });
  await producer.disconnect();
  await provisionPrincipals(
    admin,
    [
      {
        username: agentUsername(slugA),
        password: secrets.a,
        grants: agentGrants({ slug: slugA, topics: topicsOf(slugA) }),
      },
      {
        username: agentUsername(slugB),
        password: secrets.b,
        grants: agentGrants({ slug: slugB, topics: topicsOf(slugB) }),
      },
    ],
    probe,
  );
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.disconnect().catch(() => undefined);
  await removePrincipals(admin, [agentUsername(slugA), agentUsername(slugB)]);
  await deleteTestTopics(
    admin,
    [topicsOf(slugA), topicsOf(slugB)].flatMap((topics) => Object.values(topics)).concat(rawLog),
  );
  await admin.disconnect();
}, 60_000);

describe('agent credentials on the real broker (issue 24 §3)', () => {
  it('agent A reads its own -in and writes its own -out', async () => {
    const kafka = agentKafka(slugA, secrets.a);
    expect(await readOne(kafka, topicsOf(slugA).in, `${agentGroupPrefix(slugA)}agent`)).toContain(
      topicsOf(slugA).in,
    );
    const producer = kafka.producer({ idempotent: true });
    clients.push(producer);
    await producer.connect();
    await producer.send({ topic: topicsOf(slugA).out, acks: -1, messages: [{ value: 'reply' }] });
    await producer.disconnect();
  }, 60_000);

  it("agent A is refused B's -in, the raw webhook log, B's group and writing B's -out", async () => {
    const kafka = agentKafka(slugA, secrets.a);
    // Its own group prefix, someone else's topic: the topic is refused.
    expect(await refusal(() => readOne(kafka, topicsOf(slugB).in, `${agentGroupPrefix(slugA)}peek`))).toMatch(
      /TOPIC_AUTHORIZATION_FAILED|not authorized/i,
    );
    expect(await refusal(() => readOne(kafka, rawLog, `${agentGroupPrefix(slugA)}raw`))).toMatch(
      /TOPIC_AUTHORIZATION_FAILED|not authorized/i,
    );
    // Its own topic, B's group: the group is refused (joining it would steal B's partitions).
    expect(
      await refusal(() => readOne(kafka, topicsOf(slugA).in, `${agentGroupPrefix(slugB)}agent`)),
    ).toMatch(/GROUP_AUTHORIZATION_FAILED|not authorized/i);
    const producer = kafka.producer({ idempotent: true, retry: { retries: 1 } });
    clients.push(producer);
    await producer.connect();
    expect(
      await refusal(() =>
        producer.send({ topic: topicsOf(slugB).out, acks: -1, messages: [{ value: 'as B' }] }),
      ),
    ).toMatch(/TOPIC_AUTHORIZATION_FAILED|not authorized/i);
    await producer.disconnect();
  }, 60_000);

  it('a wrong password is refused at authentication', async () => {
    const kafka = agentKafka(slugA, 'not-the-secret', 0);
    const admin = kafka.admin();
    expect(await refusal(() => admin.connect())).toMatch(/SASL|authentication/i);
  }, 30_000);

  it('removed credentials stop working within seconds, also on a connection opened before', async () => {
    const slug = `iso_c_${run}`;
    const topics = topicsOf(slug);
    const secret = newKafkaSecret();
    await ensureTopics(admin, [{ topic: topics.out, numPartitions: 1 }], { replicationFactor: 1 });
    await provisionPrincipals(
      admin,
      [{ username: agentUsername(slug), password: secret, grants: agentGrants({ slug, topics }) }],
      probe,
    );
    const kafka = agentKafka(slug, secret, 0);
    const producer = kafka.producer({ idempotent: true, retry: { retries: 1 } });
    clients.push(producer);
    await producer.connect();
    await producer.send({ topic: topics.out, acks: -1, messages: [{ value: 'before' }] });
    const removedAt = Date.now();
    await removePrincipals(admin, [agentUsername(slug)], probe);
    // The open connection: its next request is refused (ACLs are checked per request).
    expect(
      await refusal(() => producer.send({ topic: topics.out, acks: -1, messages: [{ value: 'after' }] })),
    ).toMatch(/AUTHORIZATION_FAILED|not authorized/i);
    // A new connection: the credential is gone.
    expect(await refusal(() => agentKafka(slug, secret, 0).admin().connect())).toMatch(
      /SASL|authentication/i,
    );
    expect(Date.now() - removedAt).toBeLessThan(10_000);
    const left = await admin.describeAcls({
      principal: `User:${agentUsername(slug)}`,
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    expect(left.resources).toEqual([]);
    await producer.disconnect();
    await deleteTestTopics(admin, [topics.out]);
  }, 60_000);

  it('rotating replaces the secret: the old one is refused, the new one works', async () => {
    const rotated = newKafkaSecret();
    await upsertScramUser(admin, agentUsername(slugB), rotated);
    await awaitCredentials(admin, probe, [{ username: agentUsername(slugB), password: rotated }], 'usable');
    expect(await refusal(() => agentKafka(slugB, secrets.b, 0).admin().connect())).toMatch(
      /SASL|authentication/i,
    );
    const fresh = agentKafka(slugB, rotated).admin();
    await fresh.connect();
    await fresh.disconnect();
    secrets.b = rotated;
  }, 30_000);
});
