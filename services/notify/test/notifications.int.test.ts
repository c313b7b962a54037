import { eventually } from '@wa-broker/infra/poll';
import { type NotificationEvent, toNotificationEvent } from '@wa-broker/shared/notifications';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startTestNotify, TopicTap } from './support/notify.js';

let notify: Awaited<ReturnType<typeof startTestNotify>>;
const tap = new TopicTap();
let sendTopic: string;
let eventsTopic: string;

beforeAll(async () => {
  notify = await startTestNotify();
  sendTopic = notify.config.NOTIFICATIONS_SEND_TOPIC;
  eventsTopic = notify.config.NOTIFICATION_EVENTS_TOPIC;
  await tap.start([sendTopic, eventsTopic]);
}, 60_000);

afterAll(async () => {
  await tap.stop();
  await notify?.close();
});

const post = (body: unknown) =>
  notify.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: auth, payload: body as object });
const get = async (id: string) =>
  (await notify.app.inject({ method: 'GET', url: `/api/v1/notifications/${id}`, headers: auth })).json();

const shipped = (to: string[], extra: Record<string, unknown> = {}) => ({
  template: { name: 'order_shipped', language: 'en_US' },
  recipients: to.map((phone, i) => ({ to: phone, parameters: { body: [`User ${i}`, '#48213'] } })),
  ...extra,
});

/** What the router would publish for a recipient (the router's part is tested end to end in e2e/). */
const routerEvent = (
  recipient: { id: string; to: string },
  notificationId: string,
  status: NotificationEvent['status'],
  extra: Partial<NotificationEvent> = {},
) =>
  toNotificationEvent({
    notification_id: notificationId,
    recipient_id: recipient.id,
    attempt: 1,
    to: recipient.to,
    status,
    at: new Date().toISOString(),
    source: 'router',
    ...extra,
  });

/** Events in one produce request (one record batch): notify reads and applies them as one batch. */
async function routerSaysAll(events: readonly NotificationEvent[]) {
  await tap.producer.send({
    topic: eventsTopic,
    messages: events.map((event) => ({ key: event.notification_id, value: JSON.stringify(event) })),
  });
}

async function routerSays(...args: Parameters<typeof routerEvent>) {
  await routerSaysAll([routerEvent(...args)]);
}

describe('POST /api/v1/notifications', () => {
  it('answers field-level 400s for what Meta would refuse', async () => {
    const response = await post({
      template: { name: 'Order Shipped', language: 'english' },
      recipients: [
        { to: '+15550001111', parameters: { body: ['line\nbreak'], header: ['x'.repeat(61)] } },
        { to: '+1 555 000 1111' },
        { to: 'not a phone' },
      ],
    });
    expect(response.statusCode).toBe(400);
    const fields = (response.json().fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'template.name',
        'template.language',
        'recipients.0.parameters.body.0',
        'recipients.0.parameters.header.0',
        'recipients.1.to',
        'recipients.2.to',
      ]),
    );
  });

  it('refuses requests without a valid key', async () => {
    const response = await notify.app.inject({
      method: 'POST',
      url: '/api/v1/notifications',
      payload: shipped(['15550001111']),
    });
    expect(response.statusCode).toBe(401);
  });

  it('queues one send request per recipient and tracks sent → delivered → read, never backwards', async () => {
    const response = await post(shipped(['+15551000001', '+15551000002']));
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.counts).toMatchObject({ queued: 2, total: 2 });
    const requests = await eventually(
      () => {
        const found = tap.of(sendTopic, (v) => v.notification_id === created.id);
        return found.length === 2 ? found : undefined;
      },
      { what: 'two send requests' },
    );
    expect(requests[0]).toMatchObject({
      attempt: 1,
      to: '15551000001',
      template: {
        name: 'order_shipped',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'User 0' },
              { type: 'text', text: '#48213' },
            ],
          },
        ],
      },
    });
    const [first, second] = created.recipients;
    await routerSays(first, created.id, 'sent', { wamid: 'wamid.A' });
    await routerSays(first, created.id, 'read');
    await routerSays(first, created.id, 'delivered');
    await routerSays(second, created.id, 'failed', {
      error: { code: 131026, title: 'Message undeliverable' },
    });
    const done = await eventually(
      async () => {
        const n = await get(created.id);
        return n.counts.read === 1 && n.counts.failed === 1 ? n : undefined;
      },
      { what: 'read and failed' },
    );
    expect(done.state).toBe('completed');
    expect(done.recipients[0]).toMatchObject({ status: 'read', wamid: 'wamid.A' });
    expect(done.recipients[1]).toMatchObject({
      status: 'failed',
      error: { code: 131026, title: 'Message undeliverable' },
    });
    expect(
      tap.of(eventsTopic, (v) => v.notification_id === created.id && v.status === 'queued'),
    ).toHaveLength(2);

    const resend = await notify.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${created.id}/resend`,
      headers: auth,
    });
    expect(resend.json()).toMatchObject({ resent: 1, counts: { queued: 1, read: 1 } });
    const second2 = await eventually(
      () => tap.of(sendTopic, (v) => v.recipient_id === second.id && v.attempt === 2)[0],
      { what: 'attempt 2' },
    );
    expect(second2.to).toBe('15551000002');
    expect(tap.of(sendTopic, (v) => v.recipient_id === first.id)).toHaveLength(1);
    await routerSays(second, created.id, 'delivered'); // attempt 1: stale, ignored
    await routerSays(second, created.id, 'sent', { attempt: 2 });
    await eventually(async () => ((await get(created.id)).counts.sent === 1 ? true : undefined), {
      what: 'attempt 2 sent',
    });
    expect((await get(created.id)).recipients[1]).toMatchObject({ attempt: 2, status: 'sent', error: null });
  });

  it('applies a batch of events as if one by one: the last accepted status, a wamid or an error kept once set', async () => {
    const created = (await post(shipped(['+15553000001', '+15553000002', '+15553000003']))).json();
    const [first, second, third] = created.recipients;
    const undeliverable = { code: 131026, title: 'Message undeliverable' };
    await routerSaysAll([
      routerEvent(first, created.id, 'sent', { wamid: 'wamid.B1' }),
      routerEvent(second, created.id, 'sent', { wamid: 'wamid.B2' }),
      routerEvent(first, created.id, 'read'),
      routerEvent(first, created.id, 'delivered'), // backwards: refused, changes nothing
      routerEvent(second, created.id, 'failed', { error: undeliverable }),
      routerEvent(third, created.id, 'delivered', { attempt: 2 }), // not this recipient's attempt
    ]);
    const done = await eventually(
      async () => {
        const n = await get(created.id);
        return n.counts.read === 1 && n.counts.failed === 1 ? n : undefined;
      },
      { what: 'read and failed' },
    );
    expect(done.recipients[0]).toMatchObject({ status: 'read', wamid: 'wamid.B1', error: null });
    expect(done.recipients[1]).toMatchObject({ status: 'failed', wamid: 'wamid.B2', error: undeliverable });
    expect(done.recipients[2]).toMatchObject({ status: 'queued', wamid: null, error: null });
  });

  it('returns the same notification for the same idempotency key and refuses a different body', async () => {
    const body = shipped(['+15552000001'], { idempotency_key: `key-${Date.now()}` });
    const first = await post(body);
    const again = await post(body);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const other = await post({ ...body, recipients: [{ to: '+15552000002' }] });
    expect(other.statusCode).toBe(409);
    await eventually(
      () => (tap.of(sendTopic, (v) => v.notification_id === first.json().id).length > 0 ? true : undefined),
      { what: 'the send request' },
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // two dispatcher rounds
    expect(tap.of(sendTopic, (v) => v.notification_id === first.json().id)).toHaveLength(1);
  });

  it('holds a scheduled notification until send_at, and cancels it with a mark the router reads', async () => {
    const later = await post(
      shipped(['+15553000001'], { send_at: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    const soon = await post(
      shipped(['+15553000002'], { send_at: new Date(Date.now() + 1500).toISOString() }),
    );
    expect(later.json().state).toBe('scheduled');
    expect(soon.json().state).toBe('scheduled');
    await eventually(() => tap.of(sendTopic, (v) => v.notification_id === soon.json().id)[0], {
      what: 'the due one',
      timeoutMs: 10_000,
    });
    expect(tap.of(sendTopic, (v) => v.notification_id === later.json().id)).toHaveLength(0);

    const cancelled = await notify.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${later.json().id}/cancel`,
      headers: auth,
    });
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', counts: { cancelled: 1, queued: 0 } });
    const redis = new Redis(notify.config.REDIS_URL);
    expect(await redis.get(`${notify.config.REDIS_KEY_PREFIX}notify:cancelled:${later.json().id}`)).toBe('1');
    await redis.quit();
    await eventually(
      () => tap.of(eventsTopic, (v) => v.notification_id === later.json().id && v.status === 'cancelled')[0],
      { what: 'the cancelled event' },
    );
    const list = await notify.app.inject({
      method: 'GET',
      url: '/api/v1/notifications?state=cancelled',
      headers: auth,
    });
    expect(list.json().data.map((n: { id: string }) => n.id)).toEqual([later.json().id]);
    const missing = await notify.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${crypto.randomUUID()}/cancel`,
      headers: auth,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('documents the API at /docs/json', async () => {
    const docs = (await notify.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/notifications',
        '/api/v1/notifications/{id}',
        '/api/v1/notifications/{id}/resend',
        '/api/v1/notifications/{id}/cancel',
      ]),
    );
  });
});
