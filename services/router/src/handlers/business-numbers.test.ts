import type { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutRecord } from '../domain/ports.js';
import { type FakeRouter, fakeRouter, topics } from '../testing/handler-deps.js';
import { textEvent } from '../testing/webhook-events.js';

/**
 * Several business numbers in one deployment (issue 17 §2): each number's menu offers its own agents, replies
 * leave from the number the user wrote to, each number has its own rate bucket.
 */
const at = new Date('2026-12-01T11:59:00Z');
const user = 'US.33333333333333333333';
let r: FakeRouter;

beforeEach(() => {
  r = fakeRouter();
  r.numbers.add('phone-2', ['2']); // the support number offers Support only
});

function writesTo(phoneNumberId: string, wamid: string, body: string): WebhookEvent {
  const event = textEvent('', wamid, body, at) as Extract<WebhookEvent, { kind: 'message' }>;
  return {
    ...event,
    phone_number_id: phoneNumberId,
    metadata: { phone_number_id: phoneNumberId, display_phone_number: `+1 555 ${phoneNumberId}` },
    user: { user_id: user },
    contact: { user_id: user, profile: { name: 'Kim' } },
    item: {
      id: wamid,
      from_user_id: user,
      timestamp: String(at.getTime() / 1000),
      type: 'text',
      text: { body },
    },
  } as WebhookEvent;
}

const route = (event: WebhookEvent) => r.route(event);
const agentSays = (agentId: string, message: Record<string, unknown>) => r.agentSays(agentId, message);

const menuRows = (records: OutRecord[]) =>
  records
    .filter((rec) => rec.topic === topics.routerOut)
    .flatMap((rec) => {
      const body = (
        rec.value as { body: { interactive?: { action?: { buttons?: { reply: { title: string } }[] } } } }
      ).body;
      return (body.interactive?.action?.buttons ?? []).map((b) => b.reply.title);
    });

describe('several business numbers', () => {
  it('shows each number’s own agents, and keeps one session per (number, user)', async () => {
    const onSales = await route(writesTo('phone-1', 'wamid.a', 'hi'));
    const onSupport = await route(writesTo('phone-2', 'wamid.b', 'hi'));
    expect(menuRows(onSales.records)).toEqual(['Sales', 'Support']);
    expect(menuRows(onSupport.records)).toEqual(['Support']);
    expect(onSupport.records[0]?.value).toMatchObject({ waID: user, phone_number_id: 'phone-2' });
    const chosen = await route(writesTo('phone-2', 'wamid.b2', 'Support'));
    // Agents see the number on every event, as Meta shows it too.
    expect(chosen.records.filter((rec) => rec.topic === '2-in').map((rec) => rec.value)).toMatchObject([
      { type: 'session_started', phone_number_id: 'phone-2', display_phone_number: '+1 555 phone-2' },
      { type: 'text', wamid: 'wamid.b', phone_number_id: 'phone-2', display_phone_number: '+1 555 phone-2' },
    ]);
    expect([...r.store.users.keys()].sort()).toEqual([`phone-1:${user}`, `phone-2:${user}`]);
  });

  it('replies from the number the user last wrote to, on that number’s own rate bucket', async () => {
    await route(writesTo('phone-2', 'wamid.c', 'hi'));
    await route(writesTo('phone-2', 'wamid.d', 'Support'));
    const emitted = await agentSays('2', {
      waID: user,
      message_type: 'text',
      text: 'Support here',
      idempotency_key: 'k1',
    });
    expect(emitted).toEqual([]);
    expect(r.graph.calls.at(-1)).toMatchObject({
      from: 'phone-2',
      to: { user_id: user },
      body: { type: 'text' },
    });
    const limits = r.limiter.acquired.at(-1);
    expect([limits?.pair?.key, limits?.number.key]).toEqual([
      `t:rate:pair:phone-2:${user}`,
      't:rate:window:phone-2',
    ]);
    expect(r.store.sent.get(`wamid.out.${r.graph.calls.length}`)).toMatchObject({ phoneNumberId: 'phone-2' });
  });

  it('tells the agent, and calls nobody, when the number cannot send (deleted, token unreadable)', async () => {
    r.numbers.add('phone-3');
    await route(writesTo('phone-3', 'wamid.e', 'hi'));
    await route(writesTo('phone-3', 'wamid.f', 'Sales'));
    r.numbers.numbers.delete('phone-3'); // the admin deleted it meanwhile
    const calls = r.graph.calls.length;
    const emitted = await agentSays('1', {
      waID: user,
      message_type: 'text',
      text: 'hello?',
      idempotency_key: 'k2',
    });
    expect(r.graph.calls).toHaveLength(calls);
    expect(emitted).toMatchObject([
      {
        topic: '1-error',
        value: {
          code: 'send_failed',
          phone_number_id: 'phone-3',
          text: expect.stringContaining('business number phone-3'),
        },
      },
      { topic: topics.deadLetter },
    ]);
  });
});
