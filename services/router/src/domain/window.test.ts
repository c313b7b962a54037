import { describe, expect, it } from 'vitest';
import { isWindowOpen, latestInbound, windowExpiresAt } from './window.js';

const sentAt = new Date('2025-10-24T10:00:00Z');

describe('customer-service window', () => {
  it('expires 24 h after the last inbound message', () => {
    expect(windowExpiresAt(sentAt).toISOString()).toBe('2025-10-25T10:00:00.000Z');
  });

  it('is open until the expiry and closed after it', () => {
    expect(isWindowOpen(sentAt, new Date('2025-10-25T09:59:59Z'))).toBe(true);
    expect(isWindowOpen(sentAt, new Date('2025-10-25T10:00:00Z'))).toBe(false);
  });

  it('closes early by the safety margin', () => {
    expect(isWindowOpen(sentAt, new Date('2025-10-25T09:56:00Z'), 5 * 60_000)).toBe(false);
  });

  it('is closed for a user who never wrote', () => {
    expect(isWindowOpen(null, sentAt)).toBe(false);
  });

  it('ignores an older message delivered late', () => {
    const older = new Date('2025-10-24T09:00:00Z');
    expect(latestInbound(sentAt, older)).toBe(sentAt);
    expect(latestInbound(older, sentAt)).toBe(sentAt);
    expect(latestInbound(null, older)).toBe(older);
  });
});
