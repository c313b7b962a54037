import { describe, expect, it } from 'vitest';
import {
  countStatuses,
  emptyCounts,
  isResendable,
  notificationState,
  shouldApply,
} from './recipient-status.js';

describe('shouldApply', () => {
  it('moves forward and never back', () => {
    expect(shouldApply({ status: 'queued', attempt: 1 }, { status: 'sent', attempt: 1 })).toBe(true);
    expect(shouldApply({ status: 'sent', attempt: 1 }, { status: 'read', attempt: 1 })).toBe(true);
    expect(shouldApply({ status: 'read', attempt: 1 }, { status: 'delivered', attempt: 1 })).toBe(false);
    expect(shouldApply({ status: 'delivered', attempt: 1 }, { status: 'delivered', attempt: 1 })).toBe(false);
  });
  it('ignores events of an earlier attempt', () => {
    expect(shouldApply({ status: 'queued', attempt: 2 }, { status: 'failed', attempt: 1 })).toBe(false);
  });
  it('ends an attempt at failed', () => {
    expect(shouldApply({ status: 'failed', attempt: 1 }, { status: 'delivered', attempt: 1 })).toBe(false);
  });
  it('shows a cancelled recipient the router had already sent as sent', () => {
    expect(shouldApply({ status: 'cancelled', attempt: 1 }, { status: 'sent', attempt: 1 })).toBe(true);
  });
});

describe('resend and state', () => {
  it('counts the statuses of the very rows it is given', () => {
    expect(countStatuses(['read', 'delivered', 'read', 'failed'])).toEqual({
      ...emptyCounts(),
      read: 2,
      delivered: 1,
      failed: 1,
      total: 4,
    });
    expect(countStatuses([])).toEqual(emptyCounts());
  });
  it('resends failed recipients only', () => {
    expect(
      ['queued', 'sent', 'delivered', 'read', 'failed', 'cancelled'].filter((s) => isResendable(s as never)),
    ).toEqual(['failed']);
  });
  it('is scheduled before send_at and completed when nothing is queued', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    const counts = { ...emptyCounts(), queued: 2, total: 2 };
    expect(
      notificationState({ sendAt: new Date('2026-01-01T11:00:00Z'), cancelledAt: null }, counts, now),
    ).toBe('scheduled');
    expect(notificationState({ sendAt: null, cancelledAt: null }, counts, now)).toBe('sending');
    expect(
      notificationState({ sendAt: null, cancelledAt: null }, { ...emptyCounts(), read: 2, total: 2 }, now),
    ).toBe('completed');
    expect(
      notificationState(
        { sendAt: null, cancelledAt: now },
        { ...emptyCounts(), cancelled: 2, total: 2 },
        now,
      ),
    ).toBe('cancelled');
  });
});
