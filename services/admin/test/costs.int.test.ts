import { eventually } from '@wa-broker/infra/poll';
import { testKafkaSecurity, testStackEnv } from '@wa-broker/infra/test-env';
import { ensureTopics } from '@wa-broker/shared/kafka';
import type { MessageCostEvent } from '@wa-broker/shared/pricing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestAdmin, type TestAdmin, testConfig, uniqueId } from './support/admin.js';

/**
 * The cost report against real PostgreSQL and Kafka: the router's `sent` and `priced` records produced in
 * Kafka transactions (one aborted), in both orders and more than once, then the report's counts per day, agent,
 * origin and category, and the counters once per wamid.
 */
const id = uniqueId();
const phoneNumberId = '106540352242922';
const kafka = new Kafka({
  ...testKafkaSecurity(),
  brokers: [testStackEnv().KAFKA_BROKERS],
  logLevel: logLevel.NOTHING,
});
let producer: Producer;
let admin: TestAdmin;
let agentA: string;
let agentB: string;
const agentBName = `Costs Agent ${id}`;

const wamid = (name: string) => `wamid.costs-${id}-${name}`;
const sent = (
  name: string,
  at: string,
  who: { agent: string | null; origin: 'agent' | 'operator' | 'notification' | 'router' },
): MessageCostEvent => ({
  v: 1,
  kind: 'sent',
  wamid: wamid(name),
  phone_number_id: phoneNumberId,
  agent_id: who.agent,
  origin: who.origin,
  message_type: who.origin === 'notification' ? 'template' : 'text',
  ...(who.origin === 'notification' ? { template: { name: 'order_update', language: 'en_US' } } : {}),
  sent_at: at,
});
const priced = (
  name: string,
  status: string,
  at: string,
  category: string,
  type: string,
): MessageCostEvent => ({
  v: 1,
  kind: 'priced',
  wamid: wamid(name),
  phone_number_id: phoneNumberId,
  status,
  pricing: { pricing_model: 'PMP', category, type, billable: type === 'regular' },
  at,
});

/** One Kafka transaction of records keyed by wamid, committed (or aborted), as the router writes them. */
async function produce(events: readonly MessageCostEvent[], outcome: 'commit' | 'abort' = 'commit') {
  const transaction = await producer.transaction();
  await transaction.send({
    topic: admin.config.MESSAGE_COSTS_TOPIC,
    messages: events.map((event) => ({ key: event.wamid, value: JSON.stringify(event) })),
  });
  await (outcome === 'commit' ? transaction.commit() : transaction.abort());
}

const get = (url: string) => admin.app.inject({ method: 'GET', url, headers: auth });
const stored = async (name: string) =>
  (await admin.sql('select 1 from message_costs where wamid = $1', [wamid(name)])).rowCount === 1;
const metricLines = async (name: string) =>
  (await get('/metrics')).body
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .sort();

beforeAll(async () => {
  const config = testConfig();
  // One partition: the records are read in the order produced, so a last record tells that all before it were read.
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await ensureTopics(kafkaAdmin, [{ topic: config.MESSAGE_COSTS_TOPIC, numPartitions: 1 }], {
    replicationFactor: 1,
  });
  await kafkaAdmin.disconnect();
  admin = await startTestAdmin(config);
  agentA = String((await admin.sql(`select id from agents where name = 'Agent A'`)).rows[0]?.id);
  // Straight into the table: no topics needed, the report only reads the name.
  const inserted = await admin.sql(
    `insert into agents (name, slug, read_topic, write_topic, error_topic)
     values ($1, $2, $2 || '-in', $2 || '-out', $2 || '-error') returning id`,
    [agentBName, `costs_${id}`],
  );
  agentB = String(inserted.rows[0]?.id);
  producer = kafka.producer({
    transactionalId: `admin-costs-test-${id}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await admin?.close();
}, 60_000);

describe('cost report from message-costs', () => {
  it('folds sends and statuses delivered in any order and more than once into counts per day, agent, origin, category', async () => {
    const a = { agent: agentA, origin: 'agent' as const };
    const w1 = [
      sent('w1', '2026-10-05T10:00:00.000Z', a),
      priced('w1', 'sent', '2026-10-05T10:00:01.000Z', 'service', 'regular'),
      priced('w1', 'delivered', '2026-10-05T10:00:02.000Z', 'service', 'regular'),
      priced('w1', 'read', '2026-10-05T10:03:00.000Z', 'service', 'regular'),
    ];
    const w2 = [
      sent('w2', '2026-10-05T11:00:00.000Z', a),
      priced('w2', 'sent', '2026-10-05T11:00:01.000Z', 'service', 'free_customer_service'),
    ];
    // Sent just before midnight UTC, priced after: counted on the send's day.
    const w3 = [
      sent('w3', '2026-10-06T23:59:59.000Z', { agent: agentB, origin: 'operator' }),
      priced('w3', 'sent', '2026-10-07T00:00:02.000Z', 'utility', 'regular'),
    ];
    const w4 = [
      sent('w4', '2026-10-06T09:00:00.000Z', { agent: null, origin: 'notification' }),
      priced('w4', 'delivered', '2026-10-06T09:00:05.000Z', 'marketing', 'regular'),
    ];
    // No send record (yet): counted on the day of its pricing, without agent or origin.
    const w5 = [priced('w5', 'sent', '2026-10-07T08:00:00.000Z', 'marketing', 'regular')];
    // Another month: outside the report's period.
    const w7 = [sent('w7', '2026-11-01T00:00:00.000Z', a)];

    // Statuses before sends, each twice; then the sends, twice; an aborted transaction's send is never read.
    const statuses = [...w1, ...w2, ...w3, ...w4, ...w5].filter((event) => event.kind === 'priced');
    const sends = [...w1, ...w2, ...w3, ...w4].filter((event) => event.kind === 'sent');
    await produce([...statuses].reverse());
    await produce(statuses);
    await produce([sent('w6', '2026-10-05T12:00:00.000Z', a)], 'abort');
    await produce([...sends, ...sends.slice(0, 2)]);
    await produce([...sends, ...w1, ...w7]);
    await eventually(() => stored('w7'), { what: 'the last record stored', timeoutMs: 60_000 });
    expect(await stored('w6')).toBe(false);

    const response = await get('/api/v2/costs?from=2026-10-01&to=2026-10-31');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      data: [
        {
          day: '2026-10-05',
          agent_id: agentA,
          agent_name: 'Agent A',
          origin: 'agent',
          category: 'service',
          messages: 2,
          billable_messages: 1,
        },
        {
          day: '2026-10-06',
          agent_id: null,
          agent_name: null,
          origin: 'notification',
          category: 'marketing',
          messages: 1,
          billable_messages: 1,
        },
        {
          day: '2026-10-06',
          agent_id: agentB,
          agent_name: agentBName,
          origin: 'operator',
          category: 'utility',
          messages: 1,
          billable_messages: 1,
        },
        {
          day: '2026-10-07',
          agent_id: null,
          agent_name: null,
          origin: null,
          category: 'marketing',
          messages: 1,
          billable_messages: 1,
        },
      ],
      totals: { messages: 5, billable_messages: 4 },
    });

    const row = await admin.sql(
      'select agent_id, origin, category, pricing_type, billable, sent_at, priced_at from message_costs where wamid = $1',
      [wamid('w1')],
    );
    expect(row.rows).toEqual([
      {
        agent_id: agentA,
        origin: 'agent',
        category: 'service',
        pricing_type: 'regular',
        billable: true,
        sent_at: new Date('2026-10-05T10:00:00.000Z'),
        priced_at: new Date('2026-10-05T10:00:01.000Z'),
      },
    ]);

    // Filters.
    const byAgent = (await get(`/api/v2/costs?from=2026-10-01&to=2026-11-30&agent_id=${agentA}`)).json();
    expect(byAgent.data.map((r: { day: string; messages: number }) => [r.day, r.messages])).toEqual([
      ['2026-10-05', 2],
      ['2026-11-01', 1],
    ]);
    expect(byAgent.totals).toEqual({ messages: 3, billable_messages: 1 });
    const byOrigin = (await get('/api/v2/costs?from=2026-10-01&to=2026-10-31&origin=operator')).json();
    expect(byOrigin.data).toHaveLength(1);
    expect(byOrigin.data[0]).toMatchObject({ agent_id: agentB, category: 'utility' });
    const byCategory = (await get('/api/v2/costs?from=2026-10-06&to=2026-10-07&category=marketing')).json();
    expect(byCategory.totals).toEqual({ messages: 2, billable_messages: 2 });

    // Each wamid counted once; w5 has no send (no agent) and is not counted; w6 was aborted.
    const counters = async () => ({
      sent: await metricLines('wa_messages_sent_total'),
      billable: await metricLines('wa_messages_billable_total'),
    });
    const expected = {
      sent: [
        `wa_messages_sent_total{agent="${agentA}",origin="agent"} 3`,
        `wa_messages_sent_total{agent="${agentB}",origin="operator"} 1`,
        'wa_messages_sent_total{agent="none",origin="notification"} 1',
      ].sort(),
      billable: [
        `wa_messages_billable_total{agent="${agentA}",category="service"} 1`,
        `wa_messages_billable_total{agent="${agentB}",category="utility"} 1`,
        'wa_messages_billable_total{agent="none",category="marketing"} 1',
      ].sort(),
    };
    expect(await counters()).toEqual(expected);

    // Everything delivered once more (as after a restart): no row changes, no counter moves.
    const before = await admin.sql('select wamid, updated_at from message_costs order by wamid');
    await produce([...statuses, ...sends, ...w7, sent('w8', '2026-10-08T00:00:00.000Z', a)]);
    await eventually(() => stored('w8'), { what: 'the redelivery read', timeoutMs: 60_000 });
    const after = await admin.sql(
      `select wamid, updated_at from message_costs where wamid <> $1 order by wamid`,
      [wamid('w8')],
    );
    expect(after.rows).toEqual(before.rows);
    expect(await counters()).toEqual({
      ...expected,
      sent: expected.sent.map((line) => line.replace('origin="agent"} 3', 'origin="agent"} 4')),
    });
  }, 120_000);

  it('answers 400 with the field for bad dates, a reversed or too long range, and unknown filters', async () => {
    const cases: Array<[string, string]> = [
      ['from=2026-10-31&to=2026-10-01', 'to'],
      ['from=2026-02-30', 'from'],
      ['from=20261001', 'from'],
      ['from=2025-01-01&to=2026-01-02', 'to'],
      ['origin=bot', 'origin'],
      ['agent_id=abc', 'agent_id'],
      ['agent=1', 'agent'],
    ];
    for (const [query, field] of cases) {
      const response = await get(`/api/v2/costs?${query}`);
      expect(response.statusCode, query).toBe(400);
      const body = response.json();
      expect(body.error, query).toBe('invalid_request');
      expect(
        body.fields.map((f: { field: string }) => f.field),
        query,
      ).toEqual([field]);
    }
  });

  it('reports the current UTC month by default, and needs a key', async () => {
    const now = new Date();
    const month = now.toISOString().slice(0, 7);
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0))
      .toISOString()
      .slice(0, 10);
    const response = await get('/api/v2/costs');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ from: `${month}-01`, to: last });
    const anonymous = await admin.app.inject({ method: 'GET', url: '/api/v2/costs' });
    expect(anonymous.statusCode).toBe(401);
  });
});
