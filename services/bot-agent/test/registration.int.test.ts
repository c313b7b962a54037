import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from '@wa-broker/infra/poll';
import { testKafkaEnv, testStackEnv } from '@wa-broker/infra/test-env';
import { type AgentRecord, agentRecord } from '@wa-broker/shared/agents';
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

  it('creates its agent once, uses the admin’s topics, and answers on them', async () => {
    const name = `Command Bot ${id}`;
    const first = await h.startBot();
    const second = await h.startBot();
    const records = await agentsNamed(name);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(first.agent.topics).toEqual({
      in: record?.read_topic,
      out: record?.write_topic,
      error: record?.error_topic,
    });
    expect(second.agent.topics).toEqual(first.agent.topics);

    const out = await h.readOut(first);
    await h.send(first.agent.topics.in, [h.text('u-admin', '/quote AAPL')]);
    await eventually(() => out.some((m) => m.waID === 'u-admin'), { timeoutMs: 15_000, what: 'the answer' });
    expect(out.find((m) => m.waID === 'u-admin')?.text).toBe('AAPL: 189.20 USD');
  });
});
