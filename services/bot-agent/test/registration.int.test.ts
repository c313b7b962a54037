import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from '@wa-broker/infra/poll';
import { testKafkaEnv, testKafkaSecurity, testStackEnv } from '@wa-broker/infra/test-env';
import { type AgentRecord, agentRecord } from '@wa-broker/shared/agents';
import { removePrincipalsByPrefix } from '@wa-broker/shared/kafka-provisioning';
import { Kafka } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from './support/harness.js';

const adminDir = fileURLToPath(new URL('../../admin/', import.meta.url));
const apiKey = 'bot-test-admin-key-0123456789';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('registration through the real admin service', () => {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const schema = `bot_test_${id}`;
  const principalPrefix = `bot-test-${id}-`;
  const agentChangesTopic = `bot-test-agent-changes-${id}`;
  const numberChangesTopic = `bot-test-number-changes-${id}`;
  const stack = testStackEnv();
  let admin: ChildProcess | undefined;
  let adminUrl = '';
  let h: Awaited<ReturnType<typeof startHarness>>;

  beforeAll(async () => {
    const port = await freePort();
    adminUrl = `http://127.0.0.1:${port}`;
    admin = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: adminDir,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DATABASE_URL: stack.TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        ...testKafkaEnv(),
        AGENT_CHANGES_TOPIC: agentChangesTopic,
        NUMBER_CHANGES_TOPIC: numberChangesTopic,
        NUMBER_TOKEN_KEY: randomBytes(32).toString('base64'),
        AGENT_TOPIC_PARTITIONS: '3',
        ADMIN_API_KEYS: apiKey,
        // The agent's Kafka credential is issued under this run's names, removed after.
        KAFKA_AGENT_USERNAME_PREFIX: `${principalPrefix}agent-`,
        KAFKA_ROUTER_USERNAME: `${principalPrefix}router`,
        KAFKA_MEDIA_USERNAME: `${principalPrefix}media`,
        KAFKA_NOTIFY_USERNAME: `${principalPrefix}notify`,
      },
      stdio: 'ignore',
    });
    let ready = false;
    const poll = setInterval(() => {
      fetch(`${adminUrl}/readyz`).then(
        (response) => {
          ready = response.ok;
        },
        () => undefined,
      );
    }, 200);
    await eventually(() => ready, { timeoutMs: 60_000, what: 'the admin service' }).finally(() =>
      clearInterval(poll),
    );
    h = await startHarness({
      ADMIN_URL: adminUrl,
      ADMIN_API_KEY: apiKey,
      BOT_AGENT_NAME: `Command Bot ${id}`,
    });
    h.track(agentChangesTopic);
    h.track(numberChangesTopic);
  });

  afterAll(async () => {
    admin?.kill('SIGTERM');
    await h?.close();
    const kafkaAdmin = new Kafka({ brokers: stack.KAFKA_BROKERS.split(','), ...testKafkaSecurity() }).admin();
    await kafkaAdmin.connect();
    await removePrincipalsByPrefix(kafkaAdmin, principalPrefix);
    await kafkaAdmin.disconnect();
    const pool = new pg.Pool({ connectionString: stack.TEST_DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  async function agentsNamed(name: string): Promise<AgentRecord[]> {
    const response = await fetch(`${adminUrl}/api/v2/agents?name=${encodeURIComponent(name)}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const body = (await response.json()) as { data: unknown[] };
    return body.data.map((agent) => agentRecord.parse(agent));
  }

  it('creates its agent once, uses the admin’s topics and the Kafka credential it issued, and answers on them', async () => {
    const name = `Command Bot ${id}`;
    // No KAFKA_USERNAME/PASSWORD: it creates the agent and connects with the credential the admin issued it.
    const first = await h.startBot({ credential: 'admin-issued' });
    const [record] = await agentsNamed(name);
    expect(first.agent.topics).toEqual({
      in: record?.read_topic,
      out: record?.write_topic,
      error: record?.error_topic,
    });
    const out = await h.readOut(first);
    await h.send(first.agent.topics.in, [h.text('u-admin', '/quote AAPL')]);
    await eventually(() => out.some((m) => m.waID === 'u-admin'), { timeoutMs: 15_000, what: 'the answer' });
    // A second instance (given its credential, as a team would) finds the agent instead of creating another.
    const second = await h.startBot();
    expect(await agentsNamed(name)).toHaveLength(1);
    expect(second.agent.topics).toEqual(first.agent.topics);
    expect(out.find((m) => m.waID === 'u-admin')?.text).toBe('AAPL: 189.20 USD');
  });
});
