import { describe, expect, it } from 'vitest';
import { signJob, verifyJob } from './command-token.js';

const secret = 'a-test-secret-that-is-long-enough-1234';
const now = new Date('2026-03-01T12:00:00Z');
const job = signJob(
  { v: 1, job_id: 'wamid.1', command: 'quote', arg: 'AAPL', waID: '15550001111' },
  secret,
  now,
  60_000,
);

describe('command token', () => {
  it('accepts its own job until it expires', () => {
    expect(verifyJob(job, secret, now)).toEqual({ ok: true, command: { kind: 'quote', symbol: 'AAPL' } });
    expect(verifyJob(job, secret, new Date(now.getTime() + 60_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects a job signed with another secret, or with any field changed', () => {
    expect(verifyJob(job, 'another-secret-that-is-long-enough-123', now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(verifyJob({ ...job, waID: '15559999999' }, secret, now).ok).toBe(false);
    expect(verifyJob({ ...job, arg: 'MSFT' }, secret, now).ok).toBe(false);
    const extended = { ...job, expires_at: '2027-01-01T00:00:00.000Z' };
    expect(verifyJob(extended, secret, now)).toEqual({ ok: false, reason: 'forged' });
  });
});
