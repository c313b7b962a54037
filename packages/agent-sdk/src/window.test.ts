import { describe, expect, it } from 'vitest';
import { isWindowOpen } from './window.js';

const now = new Date('2026-03-01T12:00:00Z');

describe('isWindowOpen', () => {
  it('is open before the expiry and closed at or after it', () => {
    expect(isWindowOpen('2026-03-01T12:00:01Z', now)).toBe(true);
    expect(isWindowOpen('2026-03-01T12:00:00Z', now)).toBe(false);
    expect(isWindowOpen(new Date('2026-03-01T11:00:00Z'), now)).toBe(false);
  });

  it('is closed when the user never wrote, and honours a safety margin', () => {
    expect(isWindowOpen({ windowExpiresAt: null }, now)).toBe(false);
    expect(isWindowOpen({ windowExpiresAt: new Date('2026-03-01T12:04:00Z') }, now, 5 * 60_000)).toBe(false);
    expect(isWindowOpen({ windowExpiresAt: new Date('2026-03-01T12:06:00Z') }, now, 5 * 60_000)).toBe(true);
  });
});
