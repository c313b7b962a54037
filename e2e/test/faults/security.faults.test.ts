import { randomUUID } from 'node:crypto';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { joinOnce, outcomeOf } from '@wa-broker/infra/test-kafka-access';
import { readTopics } from '@wa-broker/infra/topic-reader';
import { createKafka } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';
import { agentSlug } from '@wa-broker/shared/topics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { recordFigures } from '../../src/figures.js';
import { fixtureText } from '../../src/fixtures.js';
import { waitUntil } from '../../src/load.js';
import { postHeadThenClose } from '../../src/raw-http.js';
import { type Scenario, startScenario } from '../../src/scenario.js';
import { createSignature } from '../../src/signature.js';

// Every process logs at debug (message text included), so the secret grep sees the most they ever print.
let scenario: Scenario;
const responses: string[] = [];
const marker = `sec-${randomUUID()}`;
const adminLimit = 40;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  scenario = await startScenario({
    logLevel: 'debug',
    simulatorEnv: { LOG_LEVEL: 'debug' },
    adminEnv: { RATE_LIMIT_MAX: String(adminLimit), RATE_LIMIT_WINDOW_MS: '60000' },
  });
}, 180_000);

afterAll(async () => {
  await scenario?.stop();
}, 60_000);

/** fetch that keeps every answer's status, headers and body for the secret grep. */
async function call(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  const body = await response.clone().text();
  responses.push(`${response.status} ${JSON.stringify([...response.headers])} ${body}`);
  return response;
}

function postWebhook(body: string | Buffer, signature?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  return call(`${scenario.system.webhook.url}/webhook`, { method: 'POST', headers, body });
}

describe('security checks', () => {
  it('refuses unsigned, wrongly signed and oversized webhooks (401/413) and publishes none of them', async () => {
    const body = fixtureText('inbound-text.json').replace(/"body": ?"[^"]*"/, `"body":"${marker}"`);
    expect(body).toContain(marker);
    const { appSecret } = scenario.system;
    const answers = [
      (await postWebhook(body)).status,
      (await postWebhook(body, createSignature(body, `${appSecret}-wrong`))).status,
      (await postWebhook(body, createSignature(`${body} `, appSecret))).status,
      (await postWebhook(body, 'sha256=')).status,
      (await postWebhook(body, `sha1=${'0'.repeat(40)}`)).status,
    ];
    const huge = Buffer.from(
      `{"object":"whatsapp_business_account","entry":[],"pad":"${marker}${'x'.repeat(6 * 1024 * 1024)}"}`,
    );
    // Headers and a first chunk only: the webhook answers from the Content-Length and closes.
    const tooLarge = await postHeadThenClose({
      url: `${scenario.system.webhook.url}/webhook`,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': createSignature(huge, appSecret),
      },
      contentLength: huge.length,
      firstChunk: huge.subarray(0, 16 * 1024),
    });
    responses.push(`${tooLarge.status} ${JSON.stringify(Object.entries(tooLarge.headers))} ${tooLarge.body}`);
    Object.assign(figures, {
      badSignatureAnswers: answers,
      oversizedAnswer: tooLarge.status,
      oversizedError: tooLarge.body,
    });
    expect(answers).toEqual([401, 401, 401, 401, 401]);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ error: 'payload_too_large' });
  });

  it('admin: no key or a wrong key → 401; the rate limit holds (429), for valid keys too', async () => {
    const url = `${scenario.system.admin.url}/api/v2/agents`;
    const none = (await call(url)).status;
    const wrong = (await call(url, { headers: { authorization: 'Bearer not-the-admin-key-000000' } })).status;
    const right = (await call(url, { headers: { authorization: `Bearer ${scenario.system.adminKey}` } }))
      .status;
    expect([none, wrong, right]).toEqual([401, 401, 200]);
    const flood: number[] = [];
    for (let index = 0; index < adminLimit + 5; index += 1)
      flood.push((await call(url, { headers: { authorization: 'Bearer wrong-key-0000000000' } })).status);
    const limited = (await call(url, { headers: { authorization: `Bearer ${scenario.system.adminKey}` } }))
      .status;
    Object.assign(figures, {
      adminLimit,
      adminFloodRequests: flood.length,
      adminFlood429: flood.filter((s) => s === 429).length,
    });
    expect(new Set(flood)).toEqual(new Set([401, 429]));
    expect(limited).toBe(429);
  });

  it('operator WebSocket: refused without a token or with a wrong one, open with the right one', async () => {
    const base = scenario.system.agent.url.replace('http', 'ws');
    const outcomes = await Promise.all([
      openSocket(`${base}/ws`),
      openSocket(`${base}/ws?token=wrong-token`),
      openSocket(`${base}/ws?token=${scenario.system.operatorToken}`),
    ]);
    Object.assign(figures, { websocket: outcomes });
    expect(outcomes).toEqual(['refused 401', 'refused 401', 'open']);
  });

  it('Kafka (issue 24): no anonymous client; each principal of the run is held to its own topics and groups', async () => {
    const { system } = scenario;
    const logger = createLogger({ service: 'e2e', level: 'silent' });
    const client = (principal?: { username: string; password: string }) =>
      createKafka({
        brokers: system.kafkaBrokers,
        clientId: `sec-${principal?.username ?? 'anonymous'}`,
        logger,
        retry: { retries: 0 },
        connectionTimeoutMs: 2000,
        ...(principal ? { auth: { mechanism: 'scram-sha-512' as const, ...principal } } : {}),
      });
    const refusal = outcomeOf;
    // Without credentials the broker answers nothing but ApiVersions: the connection needs SASL first.
    const anonymous = client().admin();
    expect(
      await refusal(async () => {
        await anonymous.connect();
        await anonymous.listTopics();
      }),
    ).not.toBe('allowed');
    await anonymous.disconnect();
    const rawLog = `${system.prefix}-raw`;
    const readWith = (principal: { username: string; password: string }, topic: string, groupId: string) =>
      refusal(() => joinOnce(client(principal).consumer({ groupId, maxWaitTimeInMs: 100 }), topic));
    const writeWith = (principal: { username: string; password: string }, topic: string) =>
      refusal(async () => {
        const producer = client(principal).producer({ retry: { retries: 0 } });
        try {
          await producer.connect();
          await producer.send({ topic, acks: -1, messages: [{ value: marker }] });
        } finally {
          await producer.disconnect();
        }
      });
    // kafkajs names the code (`type`) or, wrapping it after retries, only the broker's message.
    const topicRefused = /TOPIC_AUTHORIZATION_FAILED|Not authorized to access topics/;
    const refused = /AUTHORIZATION_FAILED|Not authorized to access/;
    const { webhook, router, agent } = system.kafkaCredentials;
    const agentGroup = `${agentSlug(system.agentName)}:sec`;
    // The agent: its own -in, never the raw webhook log or the router's topics; never write its own -in.
    expect(await readWith(agent, system.agentTopics.in, agentGroup)).toBe('allowed');
    expect(await readWith(agent, rawLog, agentGroup)).toMatch(topicRefused);
    expect(await writeWith(agent, system.agentTopics.in)).toMatch(topicRefused);
    // The webhook appends; it reads nothing, and cannot write an agent's topics.
    expect(await readWith(webhook, rawLog, `${system.prefix}-webhook-peek`)).toMatch(refused);
    expect(await writeWith(webhook, system.agentTopics.in)).toMatch(topicRefused);
    // The router cannot read the raw log it has no use for.
    expect(await readWith(router, rawLog, `${system.prefix}-router-in-peek`)).toMatch(
      /TOPIC_AUTHORIZATION_FAILED/,
    );
  }, 60_000);

  it('the Graph token and the app secret appear in no log line, Kafka record, error event or HTTP answer', async () => {
    const users = await scenario.connect(6, 2);
    await scenario.phone.faults({
      fail_next: [
        { code: 190, count: 1 },
        { code: 131056, count: 1 },
      ],
    });
    // The injected 190 fails for good whichever Graph call takes it (an error event when it is a reply), 131056
    // is retried: the flow is over once every message reached the agent, every reply its user unless reported
    // failed on the error topic, and their statuses came back (15 s at most).
    await scenario.load({ users, ratePerSecond: 10, durationMs: 2000 }, undefined, {
      timeoutMs: 15_000,
      done: (t) => t.lostToAgent === 0 && t.lostReplies <= t.agentErrors && t.statusesMissing === 0,
    });
    const { system } = scenario;
    // An invalid reply: the router answers on the error topic, which is grepped too.
    const bus = createKafka({
      auth: testKafkaAuth(),
      brokers: system.kafkaBrokers,
      clientId: 'e2e-sec',
      logger: createLogger({ service: 'e2e', level: 'silent' }),
    });
    const producer = bus.producer();
    await producer.connect();
    const errorsBefore = scenario.agent.errors.length;
    await producer.send({
      topic: system.agentTopics.out,
      messages: [
        { key: users[0], value: JSON.stringify({ v: 1, waID: users[0], message_type: 'text', text: '' }) },
      ],
    });
    await producer.disconnect();
    await waitUntil(
      () => scenario.agent.errors.length > errorsBefore,
      'the invalid reply never came back on the error topic',
      15_000,
    );
    for (const service of [system.webhook, system.router, system.admin, system.agent, system.simulator])
      for (const path of ['/metrics', '/readyz', '/healthz']) await call(`${service.url}${path}`);
    const admin = bus.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter(
      (topic) => topic.startsWith(system.prefix) || topic.startsWith(`e2e_${system.runId}`),
    );
    await admin.disconnect();
    const records = await readTopics(system.kafkaBrokers, topics);
    const kafkaText = records.map(
      (record) => `${record.key} ${JSON.stringify(record.headers)} ${record.value?.toString()}`,
    );
    const logs = system.allLogs();
    const secrets = { graphToken: system.graphToken, appSecret: system.appSecret, adminKey: system.adminKey };
    const found = Object.entries(secrets).flatMap(([name, secret]) =>
      [
        ['log', logs],
        ['kafka', kafkaText],
        ['http', responses],
      ].flatMap(([where, lines]) =>
        (lines as string[]).some((line) => line.includes(secret)) ? [`${name} in ${where}`] : [],
      ),
    );
    const markerPublished = kafkaText.filter((line) => line.includes(marker)).length;
    recordFigures('security', {
      ...figures,
      logLinesGrepped: logs.length,
      kafkaRecordsGrepped: records.length,
      topicsGrepped: topics.length,
      errorEvents: records.filter((record) => record.topic === system.agentTopics.error).length,
      httpAnswersGrepped: responses.length,
      secretsFound: found,
      refusedBodiesPublished: markerPublished,
    });
    expect(logs.length).toBeGreaterThan(50);
    expect(records.some((record) => record.topic === system.agentTopics.error)).toBe(true);
    expect(found).toEqual([]);
    expect(markerPublished).toBe(0);
  }, 120_000);
});

function openSocket(url: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(`refused ${response.statusCode}`);
      socket.terminate();
    });
    socket.on('error', (error) => resolve(`error ${error.message}`));
  });
}
