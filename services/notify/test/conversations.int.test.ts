import { randomUUID } from 'node:crypto';
import { eventually } from '@wa-broker/infra/poll';
import { testKafkaSecurity, testStackEnv } from '@wa-broker/infra/test-env';
import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { ensureTopics } from '@wa-broker/shared/kafka';
import { toNotificationEvent } from '@wa-broker/shared/notifications';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentChange,
  inboundText,
  menuChoice,
  sessionEvent,
  status,
} from './support/conversation-records.js';
import { auth, deleteTopics, startTestNotify, testConfig, uniqueId } from './support/notify.js';

const config = testConfig();
const slug = `conv_${uniqueId()}`;
const agentTopics = { in: `${slug}-in`, out: `${slug}-out` };
/** An agent announced after notify started. */
const later = `conv_${uniqueId()}`;
const kafka = new Kafka({
  ...testKafkaSecurity(),
  brokers: [testStackEnv().KAFKA_BROKERS],
  logLevel: logLevel.NOTHING,
});
let producer: Producer;
let notify: Awaited<ReturnType<typeof startTestNotify>>;

const send = (topic: string, key: string, value: unknown, timestamp?: Date) =>
  producer.send({
    topic,
    messages: [
      { key, value: JSON.stringify(value), ...(timestamp ? { timestamp: String(timestamp.getTime()) } : {}) },
    ],
  });

beforeAll(async () => {
  const admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  const topics = [
    config.WEBHOOK_TOPIC,
    config.ROUTER_OUT_TOPIC,
    config.AGENT_CHANGES_TOPIC,
    ...Object.values(agentTopics),
  ];
  await ensureTopics(
    admin,
    topics.map((topic) => ({ topic, numPartitions: 1 })),
    { replicationFactor: 1 },
  );
  await admin.disconnect();
  // The agent exists before notify starts, as in production: its topics are in the first subscription.
  await send(config.AGENT_CHANGES_TOPIC, '7', agentChange(7, 'Sales Team', slug));
  notify = await startTestNotify(config);
}, 60_000);

afterAll(async () => {
  await producer?.disconnect();
  await notify?.close();
  // Notify created the `-out` of the later agent itself (it reads every agent's `-in` and `-out`).
  await deleteTopics([...Object.values(agentTopics), `${later}-in`, `${later}-out`]);
});

const get = async (url: string, headers: Record<string, string> = auth) =>
  notify.app.inject({ method: 'GET', url, headers });
const conversation = async (user: string) => (await get(`/api/v1/conversations/${user}`)).json();

describe('the call-event log', () => {
  const user = '15551230001';
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const sec = (n: number) => new Date(t0.getTime() + n * 1000);

  it('orders one conversation’s events from five topics by when the broker saw them, once each', async () => {
    // Published out of order: the reply's statuses before the reply, the user's first message last of all.
    await send(config.WEBHOOK_TOPIC, user, menuChoice(user, 'wamid.choice', 'Sales Team', sec(5)));
    await send(
      config.ROUTER_OUT_TOPIC,
      user,
      {
        v: 1,
        waID: user,
        user: { wa_id: user },
        idempotency_key: 'wamid.hi:0',
        body: {
          type: 'interactive',
          interactive: { type: 'list', body: { text: 'Who do you want to talk to?' } },
        },
      },
      sec(1),
    );
    await send(
      agentTopics.in,
      user,
      sessionEvent(user, '7', 'session_started', 'menu_choice', sec(6), 'wamid.choice'),
    );
    // The -in copy of a user message is the webhook's event again: not logged twice.
    await send(agentTopics.in, user, {
      ...sessionEvent(user, '7', 'session_started', 'menu_choice', sec(6), 'x'),
      type: 'text',
      event_id: 'wamid.choice',
      text: 'Sales Team',
      session: undefined,
    });
    await send(
      agentTopics.out,
      user,
      { waID: user, message_type: 'text', text: 'How can I help?', idempotency_key: 'reply-1' },
      sec(8),
    );
    await send(config.WEBHOOK_TOPIC, user, status(user, 'wamid.reply', 'sent', sec(9)));
    await send(config.WEBHOOK_TOPIC, user, status(user, 'wamid.reply', 'read', sec(11)));
    await send(config.WEBHOOK_TOPIC, user, inboundText(user, 'wamid.hi', 'Hi, order 48213?', sec(0)));
    // A redelivery (Meta, or a replay) of the first message.
    await send(config.WEBHOOK_TOPIC, user, inboundText(user, 'wamid.hi', 'Hi, order 48213?', sec(0)));

    type Detail = Record<string, unknown> & {
      event_log: { kind: string; type: string; text: string | null; occurred_at: string }[];
    };
    const detail = await eventually<Detail>(
      async () => {
        const response = await get(`/api/v1/conversations/${user}`);
        return response.statusCode === 200 && response.json().events === 7 ? response.json() : undefined;
      },
      { what: 'seven events' },
    );
    const lines = detail.event_log.map(
      (e: { kind: string; type: string; text: string | null }) => `${e.kind}:${e.type}:${e.text ?? ''}`,
    );
    expect(lines).toEqual([
      'inbound:text:Hi, order 48213?',
      'outbound:interactive:Who do you want to talk to?',
      'inbound:interactive:Sales Team',
      'session_started:menu_choice:',
      'outbound:text:How can I help?',
      'status:sent:',
      'status:read:',
    ]);
    expect(detail).toMatchObject({
      user,
      user_name: 'Jane Doe',
      state: 'agent',
      agent: { id: '7', name: 'Sales Team' },
    });
    expect(detail.event_log[4]).toMatchObject({
      agent: { id: '7', name: 'Sales Team' },
      source: agentTopics.out,
    });
    expect(detail.event_log[0]?.occurred_at).toBe(sec(0).toISOString());
  });

  it('lists conversations by state and agent, most recently active first', async () => {
    const other = '15551230002';
    await send(config.WEBHOOK_TOPIC, other, inboundText(other, 'wamid.other', 'hello?', sec(30)));
    await eventually(async () => ((await conversation(other)).state === 'menu' ? true : undefined), {
      what: 'a menu conversation',
    });
    await send(
      agentTopics.in,
      user,
      sessionEvent(user, '7', 'session_ended', 'agent_ended', sec(20), 'end-1'),
    );
    await eventually(async () => ((await conversation(user)).state === 'ended' ? true : undefined), {
      what: 'the end',
    });

    const list = async (query: string) =>
      (await get(`/api/v1/conversations?${query}`)).json().data.map((c: { user: string }) => c.user);
    expect(await list('')).toEqual([other, user]);
    expect(await list('state=ended')).toEqual([user]);
    expect(await list('state=menu')).toEqual([other]);
    expect(await list('state=agent')).toEqual([]);
    expect(await list('agent=sales%20team')).toEqual([user]);
    expect(await list('agent=7&state=menu')).toEqual([]);
    expect(await list('page_size=1&page=2')).toEqual([user]);
  });

  it('logs a notification the router sent as an outbound template of a notified conversation', async () => {
    const to = '15551230003';
    const event = toNotificationEvent({
      notification_id: randomUUID(),
      recipient_id: randomUUID(),
      attempt: 1,
      to,
      status: 'sent',
      wamid: 'wamid.notified',
      at: sec(40).toISOString(),
      source: 'router',
    });
    await send(config.NOTIFICATION_EVENTS_TOPIC, event.notification_id, event);
    await send(config.WEBHOOK_TOPIC, to, status(to, 'wamid.notified', 'delivered', sec(41)));
    const detail = await eventually<{ state: string; event_log: { kind: string; type: string }[] }>(
      async () => {
        const response = await get(`/api/v1/conversations/${to}`);
        return response.statusCode === 200 && response.json().events === 2 ? response.json() : undefined;
      },
      { what: 'the notification in the log' },
    );
    expect(detail.state).toBe('notified');
    expect(detail.event_log.map((e) => `${e.kind}:${e.type}`)).toEqual([
      'outbound:template',
      'status:delivered',
    ]);
  });

  it('follows an agent created after the start: its topics are subscribed and read from the beginning', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic: `${later}-in`, numPartitions: 1 }], { replicationFactor: 1 });
    await admin.disconnect();
    const waId = '15551230004';
    // Written before notify knows the agent: found anyway once it subscribes.
    await send(
      `${later}-in`,
      waId,
      sessionEvent(waId, '9', 'session_started', 'menu_choice', sec(50), 'late'),
    );
    await send(config.AGENT_CHANGES_TOPIC, '9', agentChange(9, 'Billing', later));
    const detail = await eventually(
      async () => {
        const response = await get(`/api/v1/conversations/${waId}`);
        return response.statusCode === 200 ? response.json() : undefined;
      },
      { what: 'the late agent’s session', timeoutMs: 30_000 },
    );
    expect(detail).toMatchObject({ state: 'agent', agent: { id: '9', name: 'Billing' } });
  }, 40_000);

  it('keeps cause before effect within one second, whichever topic notify reads first', async () => {
    // Meta's second is the same for all three, and they reach notify in reverse: the reply, then the session
    // it was written in, then the choice that started it (three topics, three partitions: a race, not a bug).
    const waId = '15551230009';
    const second = sec(60);
    const ms = (n: number) => new Date(second.getTime() + n);
    await send(
      agentTopics.out,
      waId,
      { waID: waId, message_type: 'text', text: 'Hello from Sales', idempotency_key: 'same-second-reply' },
      ms(700),
    );
    await send(
      agentTopics.in,
      waId,
      sessionEvent(waId, '7', 'session_started', 'menu_choice', ms(400), 'wamid.same-second'),
    );
    await send(config.WEBHOOK_TOPIC, waId, menuChoice(waId, 'wamid.same-second', 'Sales Team', second));
    type Detail = { events: number; state: string; event_log: { kind: string; observed_at: string }[] };
    const detail = await eventually<Detail>(
      async () => {
        const response = await get(`/api/v1/conversations/${waId}`);
        return response.statusCode === 200 && response.json().events === 3 ? response.json() : undefined;
      },
      { what: 'three events' },
    );
    expect(detail.event_log.map((e) => e.kind)).toEqual(['inbound', 'session_started', 'outbound']);
    // The choice's observed_at is the webhook's receipt (200 ms after Meta's second in these records).
    expect(detail.event_log.map((e) => e.observed_at)).toEqual(
      [200, 400, 700].map((n) => ms(n).toISOString()),
    );
    expect(detail.state).toBe('agent');
  });

  // Issue 17: after user_changed_number the user's log continues under the new BSUID, the old lines with it.
  it('joins the log of the previous key on identity_changed, once however often it is read', async () => {
    const before = 'US.70707070707070707070';
    const after = 'US.80808080808080808080';
    await send(config.WEBHOOK_TOPIC, before, inboundText(before, 'wamid.id1', 'before the change', sec(1)));
    await eventually(async () => (await get(`/api/v1/conversations/${before}`)).statusCode === 200);
    const change: AgentInboundEvent = {
      ...sessionEvent(after, '7', 'session_started', 'menu_choice', sec(2), 'wamid.sys'),
      event_id: 'wamid.sys:identity_changed:7',
      type: 'identity_changed',
      text: 'user_changed_number',
      identity: { reason: 'user_changed_number', previous_waID: before },
    };
    await send(agentTopics.in, after, change);
    await send(agentTopics.in, after, change);
    await send(config.WEBHOOK_TOPIC, after, inboundText(after, 'wamid.id2', 'after the change', sec(3)));
    const joined = await eventually(async () => {
      const detail = await conversation(after);
      return detail.event_log?.some((e: { text: string | null }) => e.text === 'after the change') && detail;
    });
    expect(
      joined.event_log.map((e: { kind: string; text: string | null }) => `${e.kind}:${e.text ?? ''}`),
    ).toEqual(['inbound:before the change', 'identity_changed:', 'inbound:after the change']);
    expect((await get(`/api/v1/conversations/${before}`)).statusCode).toBe(404);
  });

  it('answers 401 without the key, 404 for an unknown user, 400 for an unknown state; is in the OpenAPI', async () => {
    expect((await get('/api/v1/conversations', {})).statusCode).toBe(401);
    expect((await get('/api/v1/conversations/15550000000')).statusCode).toBe(404);
    const bad = await get('/api/v1/conversations?state=open');
    expect(bad.statusCode).toBe(400);
    const paths = Object.keys((await get('/docs/json', {})).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/conversations', '/api/v1/conversations/{user}']));
  });
});
