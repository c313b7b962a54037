import { eventually } from '@wa-broker/infra/poll';
import { deadLetterRecord } from '@wa-broker/shared/dead-letter';
import { conversationKey } from '@wa-broker/shared/user-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSendReference, encodeSendReference } from '../src/domain/send-callback.js';
import { parseClaim } from '../src/domain/send-claim.js';
import { type Harness, startHarness } from './support/harness.js';

// A router that crashed between claiming a message and calling the Graph API leaves the claim behind.
let h: Harness;
const unknownAfterSeconds = 3;
const sendsOf = (text: string) => h.graph.requests.filter((r) => JSON.stringify(r.body).includes(text));

async function inSessionWithAgent1(waID: string) {
  const prefix = h.config.REDIS_KEY_PREFIX;
  const conversation = conversationKey(h.config.GRAPH_PHONE_NUMBER_ID, waID);
  await h.redis.set(`${prefix}session:${conversation}`, JSON.stringify({ state: 'agent', agentId: '1' }));
  const window = { last_inbound_at: new Date().toISOString(), user: { wa_id: waID } };
  await h.redis.set(`${prefix}window:${conversation}`, JSON.stringify(window));
}

/** A claim owned by `owner`, its lease ending `leaseMs` from now on Redis' clock. */
async function leaveClaim(key: string, state: 'pending' | 'sending', leaseMs: number, owner = 'dead-router') {
  const [seconds, micros] = await h.redis.time();
  const leaseUntil = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) + leaseMs;
  const value = JSON.stringify({ state, owner, lease_until: leaseUntil });
  await h.redis.set(`${h.config.REDIS_KEY_PREFIX}out:1:${key}`, value, 'EX', 600);
  return leaseUntil;
}

beforeAll(async () => {
  h = await startHarness({
    SEND_CLAIM_LEASE_SECONDS: '5',
    SEND_UNKNOWN_AFTER_SECONDS: String(unknownAfterSeconds),
  });
  await h.putAgent(1, 'Sales');
  await h.watch([h.topics('a1').error, h.topics('a1').in, h.config.DEAD_LETTER_TOPIC]);
  await h.router.start();
});
afterAll(async () => h?.stop());

describe('outbound claims left by a crashed router', () => {
  it('waits out the lease of a router that is still there (stuck), then sends the message once', async () => {
    const waID = '15550000001';
    await inSessionWithAgent1(waID);
    await h.redis.set(`${h.config.REDIS_KEY_PREFIX}router:alive:stuck-router`, '1', 'EX', 60);
    const leaseUntil = await leaveClaim('crash-pending', 'pending', 2_000, 'stuck-router');
    await h.agentSays(1, {
      waID,
      message_type: 'text',
      text: 'after crash',
      idempotency_key: 'crash-pending',
    });
    const sent = await eventually(() => sendsOf('after crash')[0], {
      what: 'sent once the lease ran out',
      timeoutMs: 25_000,
    });
    expect(sent.at).toBeGreaterThanOrEqual(leaseUntil - 50);
    await h.agentSays(1, {
      waID,
      message_type: 'text',
      text: 'after crash',
      idempotency_key: 'crash-pending',
    });
    await h.agentSays(1, { waID, message_type: 'text', text: 'marker', idempotency_key: 'marker' });
    await eventually(() => sendsOf('marker')[0], { what: 'later message sent' });
    expect(sendsOf('after crash')).toHaveLength(1);
    // Settled as sent, with the cost record it produced (replayed if that transaction never committed).
    const claim = parseClaim(await h.redis.get(`${h.config.REDIS_KEY_PREFIX}out:1:crash-pending`));
    expect(claim).toMatchObject({ state: 'sent', records: [{ topic: h.config.MESSAGE_COSTS_TOPIC }] });
  }, 40_000);

  it('takes over at once the pending claim of a crashed router (no presence), long before its lease ends', async () => {
    const waID = '15550000003';
    await inSessionWithAgent1(waID);
    const leaseUntil = await leaveClaim('crash-dead', 'pending', 60_000);
    await h.agentSays(1, { waID, message_type: 'text', text: 'dead owner', idempotency_key: 'crash-dead' });
    const sent = await eventually(() => sendsOf('dead owner')[0], { what: 'sent' });
    expect(sent.at).toBeLessThan(leaseUntil - 30_000);
    expect(sendsOf('dead owner')).toHaveLength(1);
  });

  it('reports a claim that may have reached the Graph API, and that no status names, as unknown on -error after the wait, never sending it twice', async () => {
    const waID = '15550000002';
    await inSessionWithAgent1(waID);
    await leaveClaim('crash-sending', 'sending', 60_000);
    const replayedAt = Date.now();
    await h.agentSays(1, {
      waID,
      message_type: 'text',
      text: 'maybe sent',
      idempotency_key: 'crash-sending',
    });
    const error = await eventually(
      () => h.received(h.topics('a1').error).find((e) => e.idempotency_key === 'crash-sending'),
      { what: '-error', timeoutMs: 20_000 },
    );
    expect(Date.now() - replayedAt).toBeGreaterThanOrEqual(unknownAfterSeconds * 1000 - 500);
    expect(error).toMatchObject({
      code: 'send_failed',
      waID,
      text: expect.stringContaining('delivery unknown after a router restart'),
    });
    expect(sendsOf('maybe sent')).toHaveLength(0);
    expect(await h.redis.get(`${h.config.REDIS_KEY_PREFIX}out:1:crash-sending`)).toBe('failed');
    // The dead letter is the one shared shape, pointing at the -out record that was never known to be sent.
    const dead = await eventually(
      () => h.received(h.config.DEAD_LETTER_TOPIC).find((d) => d.idempotency_key === 'crash-sending'),
      { what: 'the dead letter' },
    );
    expect(deadLetterRecord.parse(dead)).toMatchObject({
      reason: 'delivery_unknown',
      waID,
      agent: '1',
      source: { topic: h.topics('a1').out, partition: expect.any(Number), offset: expect.any(String) },
    });
  }, 30_000);

  // Issue 14 §2, docs/whatsapp-cloud-api.md §4: Meta echoes biz_opaque_callback_data in every status.
  it('settles a claim left after the Graph call from the first status naming it: statuses reach the agent, no send_failed', async () => {
    const waID = '15550000004';
    await inSessionWithAgent1(waID);
    await leaveClaim('crash-accepted', 'sending', 60_000);
    // The -out record is replayed first: the claim waits for a status instead of being reported.
    await h.agentSays(1, { waID, message_type: 'text', text: 'accepted', idempotency_key: 'crash-accepted' });
    const claimKey = `${h.config.REDIS_KEY_PREFIX}out:1:crash-accepted`;
    await eventually(async () => (await h.redis.get(claimKey))?.includes('unresolved'), {
      what: `${claimKey} to become unresolved`,
    });
    const callback = {
      biz_opaque_callback_data: encodeSendReference({ agentId: '1', idempotencyKey: 'crash-accepted' }),
    };
    await h.status(waID, 'wamid.crash-accepted', 'sent', undefined, callback);
    await h.status(waID, 'wamid.crash-accepted', 'delivered', undefined, callback);
    const statuses = await eventually(
      () => {
        const found = h
          .received(h.topics('a1').in)
          .filter((e) => (e.status as { wamid?: string } | undefined)?.wamid === 'wamid.crash-accepted');
        return found.length === 2 ? found : undefined;
      },
      { what: 'both statuses on -in' },
    );
    expect(statuses.map((e) => (e.status as { status: string }).status)).toEqual(['sent', 'delivered']);
    expect(statuses[0]).toMatchObject({ status: { idempotency_key: 'crash-accepted' } });
    // Past the wait: settled as sent by the sweeper, never reported.
    await eventually(async () => (await h.redis.get(claimKey)) === 'sent', {
      what: `${claimKey} to become sent`,
      timeoutMs: (unknownAfterSeconds + 5) * 1000,
    });
    expect(h.received(h.topics('a1').error).filter((e) => e.idempotency_key === 'crash-accepted')).toEqual(
      [],
    );
    expect(sendsOf('accepted')).toHaveLength(0);
    const mapping = JSON.parse(
      (await h.redis.get(`${h.config.REDIS_KEY_PREFIX}wamid:wamid.crash-accepted`)) ?? '{}',
    );
    expect(mapping).toEqual({
      agentId: '1',
      userKey: waID,
      idempotencyKey: 'crash-accepted',
      phoneNumberId: h.config.GRAPH_PHONE_NUMBER_ID,
    });
  }, 30_000);

  it('names every send in biz_opaque_callback_data', async () => {
    const waID = '15550000005';
    await inSessionWithAgent1(waID);
    await h.agentSays(1, { waID, message_type: 'text', text: 'named', idempotency_key: 'named-1' });
    const sent = await eventually(() => sendsOf('named')[0], { what: 'sent' });
    expect(decodeSendReference(sent.body.biz_opaque_callback_data as string)).toEqual({
      agentId: '1',
      idempotencyKey: 'named-1',
    });
  });
});
