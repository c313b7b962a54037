import { beforeEach, describe, expect, it } from 'vitest';
import { type FakeRouter, fakeRouter, topics } from '../testing/handler-deps.js';
import { statusEvent, textEvent } from '../testing/webhook-events.js';
import { handleNotificationStatuses } from './notification-status.js';

let r: FakeRouter;
const at = new Date('2026-12-01T12:00:00Z');
const ref = { notification_id: 'n1', recipient_id: 'r1', attempt: 1, to: '4915' };

beforeEach(async () => {
  r = fakeRouter();
  await r.notifications.recordSent('wamid.n1', ref);
});

describe('handleNotificationStatuses', () => {
  it('turns statuses of notification sends into notification events, by Meta’s timestamp', async () => {
    await handleNotificationStatuses(
      [statusEvent('4915', 'wamid.n1', 'delivered', at), textEvent('4915', 'wamid.in', 'hi', at)],
      r.notificationStatus,
    );
    expect(r.published).toMatchObject([
      {
        topic: topics.events,
        key: 'n1',
        value: { ...ref, status: 'delivered', wamid: 'wamid.n1', at: at.toISOString(), source: 'router' },
      },
    ]);
    expect(r.notifications.statuses.get('wamid.n1')).toBe('delivered');
  });

  it('publishes nothing for redeliveries, statuses that move backwards, or other messages’ statuses', async () => {
    const events = [
      statusEvent('4915', 'wamid.n1', 'read', at),
      statusEvent('4915', 'wamid.n1', 'delivered', at),
    ];
    await handleNotificationStatuses(events, r.notificationStatus);
    await handleNotificationStatuses(events, r.notificationStatus);
    await handleNotificationStatuses([statusEvent('4915', 'wamid.agent', 'read', at)], r.notificationStatus);
    expect(r.published.map((p) => (p.value as { status: string }).status)).toEqual(['read']);
  });

  it('carries Meta’s error of a failed status', async () => {
    const errors = [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'no WhatsApp' } }];
    await handleNotificationStatuses(
      [statusEvent('4915', 'wamid.n1', 'failed', at, { errors })],
      r.notificationStatus,
    );
    expect(r.published[0]?.value).toMatchObject({
      status: 'failed',
      error: { code: 131026, title: 'Message undeliverable', details: 'no WhatsApp' },
    });
  });
});
