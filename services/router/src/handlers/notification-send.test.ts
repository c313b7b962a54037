import { deadLetterRecord } from '@wa-broker/shared/dead-letter';
import { beforeEach, describe, expect, it } from 'vitest';
import { type FakeRouter, fakeRouter, topics } from '../testing/handler-deps.js';
import { handleNotificationSend } from './notification-send.js';

let r: FakeRouter;
const template = { name: 'order_update', language: { code: 'en' }, components: [] };
const request = (overrides: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      v: 1,
      notification_id: 'n1',
      recipient_id: 'r1',
      attempt: 1,
      to: '491700000001',
      template,
      requested_at: '2026-12-01T11:00:00Z',
      ...overrides,
    }),
  );
const source = { topic: 'notifications-send', partition: 1, offset: '12' };
const send = (value: Buffer | null) => handleNotificationSend({ ...source, value }, r.deps.notificationSend);

beforeEach(() => {
  r = fakeRouter();
});

describe('handleNotificationSend', () => {
  it('sends the template, maps its wamid to the notification, then publishes sent', async () => {
    await send(request());
    expect(r.graph.calls).toMatchObject([
      { to: { wa_id: '491700000001' }, body: { type: 'template', template } },
    ]);
    expect(r.notifications.refs.get('wamid.out.1')).toEqual({
      notification_id: 'n1',
      recipient_id: 'r1',
      attempt: 1,
      to: '491700000001',
    });
    expect(r.published).toMatchObject([
      { topic: topics.events, key: 'n1', value: { status: 'sent', wamid: 'wamid.out.1', source: 'router' } },
    ]);
  });

  it('sends each (recipient, attempt) once: a replay publishes its events again without a second send', async () => {
    await send(request());
    await send(request());
    expect(r.graph.calls).toHaveLength(1);
    expect(r.published.map((p) => (p.value as { status: string }).status)).toEqual(['sent', 'sent']);
    await send(request({ attempt: 2 }));
    expect(r.graph.calls).toHaveLength(2);
  });

  // meta-2026-changes.md §1.9: notifications are business-initiated, the portfolio's messaging limit applies.
  it('fails a notification to a new user once the portfolio messaging limit is reached, before Meta', async () => {
    r.messagingLimit.limit = 1;
    await send(request());
    await send(request({ recipient_id: 'r2', to: '491700000002' }));
    expect(r.graph.calls.map((call) => call.to)).toEqual([{ wa_id: '491700000001' }]);
    expect(r.published.at(-1)).toMatchObject({
      value: { status: 'failed', error: { code: 0, title: expect.stringContaining('messaging limit') } },
    });
  });

  it('skips a cancelled notification: nothing sent, nothing published', async () => {
    r.cancelled.add('n1');
    await send(request());
    expect(r.graph.calls).toEqual([]);
    expect(r.published).toEqual([]);
    expect(r.claims.stateOf('notify', 'r1:1')).toBe('rejected');
  });

  it('publishes failed with Meta’s code when Meta refuses the template', async () => {
    r.graph.script.push({
      ok: false,
      httpStatus: 400,
      metaError: { code: 132001, title: 'Template name does not exist' },
      reason: 'x',
    });
    await send(request());
    expect(r.published).toMatchObject([
      { value: { status: 'failed', error: { code: 132001, title: 'Template name does not exist' } } },
    ]);
    expect(r.notifications.refs.size).toBe(0);
  });

  it('dead-letters an unreadable request', async () => {
    await send(Buffer.from('{"v":1}'));
    expect(r.graph.calls).toEqual([]);
    expect(r.published).toEqual([
      {
        topic: topics.deadLetter,
        key: 'notifications-send',
        value: {
          v: 1,
          reason: 'unreadable',
          text: 'unreadable notification send request',
          source,
          at: expect.any(String),
          raw_payload: Buffer.from('{"v":1}').toString('base64'),
        },
      },
    ]);
    expect(deadLetterRecord.safeParse(r.published[0]?.value).success).toBe(true);
  });
});
