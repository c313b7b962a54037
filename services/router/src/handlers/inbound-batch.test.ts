import { deadLetterRecord } from '@wa-broker/shared/dead-letter';
import type { WebhookEvent } from '@wa-broker/shared/webhook-events';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeSendReference } from '../domain/send-callback.js';
import { claimId } from '../domain/send-claim.js';
import { type FakeRouter, fakeRouter, topics } from '../testing/handler-deps.js';
import { statusEvent, textEvent } from '../testing/webhook-events.js';
import { type ConsumedBatch, routeInboundBatch } from './inbound-batch.js';

const checkpointKey = 'checkpoint:inbound:webhook:0';
const at = new Date('2026-12-01T11:59:00Z');
let r: FakeRouter;

function batch(first: number, events: (WebhookEvent | null)[], rebuildOnly = false): ConsumedBatch {
  return {
    topic: 'webhook',
    partition: 0,
    lastOffset: String(first + events.length - 1),
    checkpointKey,
    events: events.map((event, i) =>
      event
        ? { offset: String(first + i), event, rebuildOnly }
        : { offset: String(first + i), event: null, raw: Buffer.from('not json') },
    ),
  };
}

const route = (b: ConsumedBatch) => routeInboundBatch(b, r.deps.inbound);
const inSession = (user: string, agentId = '1') =>
  r.store.users.set(`phone-1:${user}`, {
    session: { state: 'agent', agentId },
    window: { lastInboundAt: at, user: { wa_id: user } },
  });

beforeEach(() => {
  r = fakeRouter();
});

describe('routeInboundBatch', () => {
  it('shows a new user the menu, keeps the first message and writes state with the checkpoint', async () => {
    const routed = await route(batch(0, [textEvent('4915', 'wamid.in.1', 'Hi', at)]));
    expect(routed.lastOffset).toBe('0');
    expect(routed.records).toHaveLength(1);
    expect(routed.records[0]).toMatchObject({
      topic: topics.routerOut,
      key: '4915',
      value: { waID: '4915', idempotency_key: 'wamid.in.1:0', body: { type: 'interactive' } },
    });
    const state = r.store.users.get('phone-1:4915');
    expect(state?.session).toMatchObject({ state: 'menu', pending: { wamid: 'wamid.in.1' } });
    expect(state?.window?.lastInboundAt).toEqual(at);
    expect(r.store.seen.has('wamid.in.1')).toBe(true);
    expect(r.store.checkpoints.get(checkpointKey)).toEqual({
      first: '0',
      last: '0',
      records: routed.records,
    });
  });

  it('hands the kept first message to the agent the user names, after session_started', async () => {
    await route(batch(0, [textEvent('4915', 'wamid.in.1', 'Hi', at)]));
    const routed = await route(batch(1, [textEvent('4915', 'wamid.in.2', 'Support', at)]));
    const toAgent = routed.records.filter((rec) => rec.topic === '2-in').map((rec) => rec.value);
    expect(toAgent).toMatchObject([
      { type: 'session_started', agent: '2' },
      { type: 'text', wamid: 'wamid.in.1', text: 'Hi' },
    ]);
    expect(r.store.users.get('phone-1:4915')?.session).toEqual({ state: 'agent', agentId: '2' });
  });

  it('forwards a message in a session to its agent and drops Meta’s redelivery of it', async () => {
    inSession('4915');
    const first = await route(batch(0, [textEvent('4915', 'wamid.in.3', 'price?', at)]));
    expect(first.records).toMatchObject([
      { topic: '1-in', key: '4915', value: { type: 'text', text: 'price?', event_id: 'wamid.in.3' } },
    ]);
    const again = await route(batch(1, [textEvent('4915', 'wamid.in.3', 'price?', at)]));
    expect(again.records).toEqual([]);
    expect(again.lastOffset).toBe('1');
    expect((await r.metrics.duplicates.get()).values[0]?.value).toBe(1);
  });

  it('routes a status to the sending agent once and drops one that moves backwards', async () => {
    r.store.sent.set('wamid.out.1', { agentId: '1', userKey: '4915', idempotencyKey: 'k1' });
    const routed = await route(
      batch(0, [
        statusEvent('4915', 'wamid.out.1', 'read', at),
        statusEvent('4915', 'wamid.out.1', 'delivered', at),
      ]),
    );
    expect(routed.records).toMatchObject([{ topic: '1-in', value: { type: 'status', text: 'read' } }]);
    expect(r.store.statuses.get('wamid.out.1')).toBe('read');
  });

  it('learns the sender of a status from its callback data and marks the send claim resolved', async () => {
    const callbackData = encodeSendReference({ agentId: '2', idempotencyKey: 'k9' });
    const routed = await route(batch(0, [statusEvent('4915', 'wamid.out.9', 'sent', at, { callbackData })]));
    expect(routed.records).toMatchObject([{ topic: '2-in', value: { status: { idempotency_key: 'k9' } } }]);
    expect(r.store.sent.get('wamid.out.9')).toEqual({
      agentId: '2',
      userKey: '4915',
      idempotencyKey: 'k9',
      phoneNumberId: 'phone-1',
    });
    expect(r.store.resolved.get(claimId('2', 'k9'))).toBe('wamid.out.9');
  });

  it('parks an unreadable event on the dead letter with its coordinates and goes on', async () => {
    inSession('4915');
    const routed = await route(batch(5, [null, textEvent('4915', 'wamid.in.4', 'ok', at)]));
    expect(routed.records[0]).toMatchObject({
      topic: topics.deadLetter,
      key: 'webhook',
      value: {
        v: 1,
        reason: 'unreadable',
        source: { topic: 'webhook', partition: 0, offset: '5' },
        raw_payload: Buffer.from('not json').toString('base64'),
      },
    });
    expect(deadLetterRecord.safeParse(routed.records[0]?.value).success).toBe(true);
    expect(routed.records[1]).toMatchObject({ topic: '1-in' });
  });

  it('rebuilds state from replayed events without publishing anything', async () => {
    const routed = await route(batch(0, [textEvent('4915', 'wamid.in.5', 'Hi', at)], true));
    expect(routed.records).toEqual([]);
    expect(r.store.users.get('phone-1:4915')?.session).toMatchObject({ state: 'menu' });
    expect(r.store.seen.has('wamid.in.5')).toBe(true);
  });

  it('publishes a checkpointed batch whose transaction never committed again, without deciding it again', async () => {
    inSession('4915');
    const first = await route(batch(0, [textEvent('4915', 'wamid.in.6', 'one', at)]));
    const replay = await route(batch(0, [textEvent('4915', 'wamid.in.6', 'one', at)]));
    expect(replay.records).toEqual(first.records);
    expect(r.store.commits).toBe(1);
  });

  it('does not publish a checkpointed batch again once the group committed past it', async () => {
    inSession('4915');
    await route(batch(0, [textEvent('4915', 'wamid.in.7', 'one', at)]));
    r.commitOffset('1');
    const replay = await route(batch(0, [textEvent('4915', 'wamid.in.7', 'one', at)]));
    expect(replay.records).toEqual([]);
  });
});
