import { describe, expect, it } from 'vitest';
import { isWindowOpen } from './window.js';

const now = new Date('2026-03-01T12:00:00Z');

describe('isWindowOpen', () => {
  it('closes 5 minutes before Meta does, as the router decides (one shared rule)', () => {
    expect(isWindowOpen('2026-03-01T12:05:01Z', now)).toBe(true);
    expect(isWindowOpen('2026-03-01T12:05:00Z', now)).toBe(false);
    expect(isWindowOpen(new Date('2026-03-01T12:04:00Z'), now)).toBe(false);
    expect(isWindowOpen(new Date('2026-03-01T11:00:00Z'), now)).toBe(false);
  });

  it('reads a message and is closed when the user never wrote', () => {
    expect(isWindowOpen({ windowExpiresAt: null }, now)).toBe(false);
    expect(isWindowOpen({ windowExpiresAt: new Date('2026-03-01T12:06:00Z') }, now)).toBe(true);
  });
});
