import { describe, expect, it } from 'vitest';
import { decideClaim, defaultClaimLeaseMs, parseClaim } from './send-claim.js';

const ctx = { owner: 'me', nowMs: 10_000 };
const claim = (state: string, owner: string, leaseUntil: number) =>
  parseClaim(JSON.stringify({ state, owner, lease_until: leaseUntil }));

describe('decideClaim', () => {
  it('skips messages already sent, failed or rejected', () => {
    expect(decideClaim(parseClaim('sent'), ctx)).toEqual({ kind: 'skip', state: 'sent' });
    expect(decideClaim(parseClaim('rejected'), ctx)).toEqual({ kind: 'skip', state: 'rejected' });
  });

  it('waits while another router holds a live lease', () => {
    expect(decideClaim(claim('pending', 'other', 12_500), ctx)).toEqual({ kind: 'wait', retryInMs: 2_500 });
    expect(decideClaim(claim('sending', 'other', 10_001), ctx)).toEqual({ kind: 'wait', retryInMs: 1 });
  });

  it('does not wait for the lease of an owner that stopped refreshing its presence', () => {
    const dead = { ...ctx, isClaimOwnerAlive: false };
    expect(decideClaim(claim('pending', 'other', 12_500), dead)).toEqual({ kind: 'take-over' });
    expect(decideClaim(claim('sending', 'other', 12_500), dead)).toEqual({ kind: 'unknown' });
  });

  it('takes over a pending claim whose owner is gone: the Graph API was never called', () => {
    expect(decideClaim(claim('pending', 'dead', 9_999), ctx)).toEqual({ kind: 'take-over' });
    expect(decideClaim(claim('pending', 'me', 20_000), ctx)).toEqual({ kind: 'take-over' });
    expect(decideClaim(null, ctx)).toEqual({ kind: 'take-over' });
  });

  it('reports, never re-sends, a claim that may have reached the Graph API', () => {
    expect(decideClaim(claim('sending', 'dead', 10_000), ctx)).toEqual({ kind: 'unknown' });
    expect(decideClaim(claim('sending', 'me', 20_000), ctx)).toEqual({ kind: 'unknown' });
    expect(decideClaim(parseClaim('pending'), ctx)).toEqual({ kind: 'unknown' });
  });
});

describe('defaultClaimLeaseMs', () => {
  it('outlasts every attempt timing out and backing off for the longest', () => {
    expect(defaultClaimLeaseMs({ maxAttempts: 5, timeoutMs: 10_000, backoffMaxMs: 30_000 })).toBe(260_000);
  });
});
