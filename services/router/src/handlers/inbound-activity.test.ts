import type { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { beforeEach, describe, expect, it } from 'vitest';
import { type FakeRouter, fakeRouter } from '../testing/handler-deps.js';
import { statusEvent, textEvent } from '../testing/webhook-events.js';

/** meta-2026-changes.md §1.5 (Calling API) and §1.8 (echoes, standby): to the agent that owns the conversation. */
const at = new Date('2026-12-01T11:59:00Z');
const user = 'US.55555555555555555555';
let r: FakeRouter;

beforeEach(() => {
  r = fakeRouter();
});

const route = (...events: WebhookEvent[]) => r.route(...events);

function activity(field: 'calls' | 'smb_message_echoes', item: Record<string, unknown>): WebhookEvent {
  const {
    kind: _kind,
    message_type: _type,
    item: _item,
    ...envelope
  } = textEvent('', 'x', '', at) as Extract<WebhookEvent, { kind: 'message' }>;
  return {
    ...envelope,
    user: { user_id: user },
    contact: null,
    kind: 'activity',
    field,
    item,
  } as WebhookEvent;
}

const withAgent1 = () =>
  r.store.users.set(`phone-1:${user}`, {
    session: { state: 'agent', agentId: '1' },
    window: { lastInboundAt: at, user: { user_id: user, name: 'Lee' } },
  });

describe('activities of 2025–2026 webhook fields', () => {
  it('gives the owning agent a missed call and an echo, typed, without touching session or window', async () => {
    withAgent1();
    const before = structuredClone(r.store.users.get(`phone-1:${user}`));
    const call = {
      id: 'wacid.1',
      event: 'terminate',
      status: 'FAILED',
      direction: 'USER_INITIATED',
      timestamp: '1',
    };
    const routed = await route(
      activity('calls', call),
      activity('calls', call), // Meta redelivers: once
      activity('smb_message_echoes', {
        id: 'wamid.echo',
        to_user_id: user,
        type: 'text',
        text: { body: 'from the app' },
      }),
    );
    expect(routed.records.map((rec) => [rec.topic, rec.key, rec.value])).toMatchObject([
      [
        '1-in',
        user,
        { type: 'call', text: 'FAILED', call: { id: 'wacid.1', event: 'terminate', status: 'FAILED' } },
      ],
      ['1-in', user, { type: 'echo', text: 'from the app', user: { name: 'Lee' } }],
    ]);
    expect(r.store.users.get(`phone-1:${user}`)).toEqual(before);
  });

  it('forwards a call status (RINGING) to the owner, and tells nobody without a session', async () => {
    withAgent1();
    const ringing = statusEvent('', 'wacid.2', 'RINGING', at);
    const routed = await route({
      ...ringing,
      user: { user_id: user },
      item: { ...ringing.item, type: 'call', recipient_user_id: user },
    } as WebhookEvent);
    expect(routed.records).toMatchObject([
      { topic: '1-in', value: { type: 'call', call: { id: 'wacid.2', status: 'RINGING' } } },
    ]);
    r.store.users.clear();
    const nobody = await route(activity('calls', { id: 'wacid.3', event: 'connect', timestamp: '1' }));
    expect(nobody.records).toEqual([]);
  });
});
