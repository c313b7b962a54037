import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { testKafkaAuth, testKafkaEnv } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { loadConfig } from '@wa-broker/shared/config';
import { createKafka, createReadCommittedConsumer, decodeJson, encodeJson } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import type { Consumer } from 'kafkajs';
import { type Bot, buildBot } from '../../src/app.js';
import { serviceConfig } from '../../src/config.js';
import { type FakeBackend, startFakeBackend } from '../../src/fake-api/fake-backend.js';

export const secret = 'test-command-secret-0123456789abcdef';

/**
 * Bots on unique topics and groups, a fake API, a reader of `-out`, captured log lines. `close` deletes the
 * topics of every bot started, and those named with `track`.
 */
export async function startHarness(env: Record<string, string> = {}) {
  const id = randomUUID().slice(0, 8);
  const backend: FakeBackend = await startFakeBackend({ slowMs: 2_000 });
  const config = loadConfig(serviceConfig, {
    ...testKafkaEnv(),
    BOT_AGENT_NAME: `Bot ${id}`,
    COMMAND_TOKEN_SECRET: secret,
    BACKEND_API_URL: backend.url,
    BACKEND_API_TIMEOUT_MS: '400',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ service: 'bot-test', level: 'info', destination });
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers: config.KAFKA_BROKERS,
    clientId: `bot-test-${id}`,
    logger,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const bots: Bot[] = [];
  const readers: Consumer[] = [];
  const tracked = new Set<string>();

  const h = {
    id,
    config,
    backend,
    logs,
    kafka,
    bots,
    /** `admin-issued`: no KAFKA_USERNAME/PASSWORD, the bot takes the credential the admin issues its agent. */
    async startBot(options: { credential?: 'configured' | 'admin-issued' } = {}) {
      const bot =
        options.credential === 'admin-issued'
          ? await buildBot({
              config: { ...config, KAFKA_USERNAME: undefined, KAFKA_PASSWORD: undefined },
              logger,
            })
          : await buildBot({
              config,
              logger,
              kafka: createKafka({
                auth: testKafkaAuth(),
                brokers: config.KAFKA_BROKERS,
                clientId: `bot-${id}-${bots.length}`,
                logger,
              }),
            });
      bots.push(bot);
      await bot.start();
      return bot;
    },
    /** Collects `-out` from the beginning. */
    /** Names topics this test makes some other way, so `close` deletes them too. */
    track(...topics: string[]) {
      for (const topic of topics) tracked.add(topic);
    },
    async readOut(bot: Bot) {
      const consumer = createReadCommittedConsumer(kafka, {
        groupId: `bot-reader-${randomUUID()}`,
        maxWaitTimeInMs: 200,
      });
      readers.push(consumer);
      const values: AgentOutboundMessage[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: bot.agent.topics.out, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void values.push(decodeJson(message.value) as AgentOutboundMessage),
      });
      return values;
    },
    async send(topic: string, values: ({ waID: string } & Record<string, unknown>)[]) {
      await producer.send({
        topic,
        acks: -1,
        messages: values.map((value) => ({ key: value.waID, value: encodeJson(value) })),
      });
    },
    /** A user's text as the router puts it on `-in`. */
    text(waID: string, text: string, type: AgentInboundEvent['type'] = 'text'): AgentInboundEvent {
      const wamid = `wamid.${randomUUID()}`;
      const now = new Date();
      return {
        v: 1,
        event_id: wamid,
        wamid,
        waID,
        type,
        text,
        raw_payload: null,
        agent: config.BOT_AGENT_NAME,
        user: { wa_id: waID },
        timestamp: now.toISOString(),
        window_expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      };
    },
    async close() {
      await Promise.all(bots.map((bot) => bot.stop()));
      await Promise.all(readers.map((reader) => reader.disconnect()));
      await producer.disconnect();
      const topics = bots.flatMap((bot) => [...Object.values(bot.agent.topics), bot.commandTopic]);
      const admin = kafka.admin();
      await admin.connect();
      await deleteTestTopics(admin, [...topics, ...tracked]).finally(() => admin.disconnect());
      await backend.close();
    },
  };
  return h;
}
