import { describe, expect, it } from 'vitest';
import {
  isWindowOpen,
  isWindowOpenAtMeta,
  latestInbound,
  replyDeadline,
  replyMarginMs,
  windowExpiresAt,
} from './reply-window.js';

const lastInbound = new Date('2026-03-01T12:00:00Z');
const expires = windowExpiresAt(lastInbound);

describe('the customer-service window (whatsapp-cloud-api.md §6)', () => {
  it('closes 24 h after the user last wrote, by Meta', () => {
    expect(expires.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(isWindowOpenAtMeta(expires, new Date('2026-03-02T11:59:59Z'))).toBe(true);
    expect(isWindowOpenAtMeta(expires, new Date('2026-03-02T12:00:00Z'))).toBe(false);
  });

  it('stops free-form replies 5 minutes earlier everywhere, and accepts strings and dates alike', () => {
    expect(replyMarginMs).toBe(300_000);
    expect(replyDeadline(expires.toISOString())?.toISOString()).toBe('2026-03-02T11:55:00.000Z');
    expect(isWindowOpen(expires, new Date('2026-03-02T11:54:59Z'))).toBe(true);
    expect(isWindowOpen(expires.toISOString(), new Date('2026-03-02T11:55:00Z'))).toBe(false);
    expect(isWindowOpen(expires, new Date('2026-03-02T11:58:00Z'))).toBe(false);
  });

  it('is closed when the user never wrote or the expiry is unreadable', () => {
    expect(isWindowOpen(null, lastInbound)).toBe(false);
    expect(isWindowOpen('not a date', lastInbound)).toBe(false);
    expect(replyDeadline(undefined)).toBeNull();
  });

  it('moves only with a newer message', () => {
    const older = new Date('2026-03-01T11:00:00Z');
    expect(latestInbound(lastInbound, older)).toBe(lastInbound);
    expect(latestInbound(older, lastInbound)).toBe(lastInbound);
    expect(latestInbound(null, older)).toBe(older);
  });
});
