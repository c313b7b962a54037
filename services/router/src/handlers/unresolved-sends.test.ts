import { eventually } from '@wa-broker/infra/poll';
import { createLogger } from '@wa-broker/shared/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UnresolvedSend } from '../domain/ports.js';
import { claimId } from '../domain/send-claim.js';
import { type FakeRouter, fakeRouter, topics } from '../testing/handler-deps.js';
import { deliveryUnknownText } from './send-claim.js';
import { startUnresolvedSweeper } from './unresolved-sends.js';

let r: FakeRouter;
let sweeper: ReturnType<typeof startUnresolvedSweeper>;
const send: UnresolvedSend = { agentId: '1', idempotencyKey: 'k', waID: '4915', source: '1-out:2:40' };

/** A send whose router died after the Graph call, due for its report `inMs` from now. */
async function abandoned(inMs: number, which: UnresolvedSend = send) {
  const id = claimId(which.agentId, which.idempotencyKey);
  r.claims.values.set(id, JSON.stringify({ state: 'sending', owner: 'gone', lease_until: 0 }));
  await r.claims.markUnresolved(which, r.claims.values.get(id) ?? null, inMs);
}

beforeEach(() => {
  r = fakeRouter();
  sweeper = startUnresolvedSweeper({
    claims: r.claims,
    agentById: (id) => r.agents.find((a) => a.id === id),
    publish: r.deps.notificationSend.publish,
    deadLetterTopic: topics.deadLetter,
    logger: createLogger({ service: 'router-unit', level: 'silent' }),
    now: () => r.clock.now,
    intervalMs: 5,
    leaseMs: 30_000,
  });
  sweeper.start();
});

afterEach(() => sweeper.stop());

describe('startUnresolvedSweeper', () => {
  it('reports a send no status named in time to its agent and the dead letter, once', async () => {
    await abandoned(0);
    await eventually(() => r.claims.stateOf('1', 'k') === 'failed', { what: 'settled as failed' });
    expect(r.published.map((p) => p.topic)).toEqual(['1-error', topics.deadLetter]);
    expect(r.published[0]?.value).toMatchObject({
      code: 'send_failed',
      text: deliveryUnknownText,
      idempotency_key: 'k',
      source: { topic: '1-out', partition: 2, offset: '40' },
    });
    expect(r.published[1]?.value).toMatchObject({ reason: 'delivery_unknown', agent: '1' });
    expect(r.claims.unresolved.size).toBe(0);
  });

  it('settles it as sent, reporting nothing, when a status named the send meanwhile', async () => {
    await abandoned(0);
    r.store.resolved.set(claimId('1', 'k'), 'wamid.out.7');
    await eventually(() => r.claims.stateOf('1', 'k') === 'sent', { what: 'settled as sent' });
    expect(r.published).toEqual([]);
  });

  it('leaves a send alone until its wait is over', async () => {
    await abandoned(60_000);
    // A second send already due: once it is reported, a sweep has passed over the first one.
    await abandoned(0, { ...send, idempotencyKey: 'k2' });
    await eventually(() => r.claims.stateOf('1', 'k2') === 'failed', { what: 'the due one reported' });
    expect(r.claims.stateOf('1', 'k')).toBe('unresolved');
    expect(r.published.every((p) => (p.value as { idempotency_key?: string }).idempotency_key === 'k2')).toBe(
      true,
    );
  });
});
