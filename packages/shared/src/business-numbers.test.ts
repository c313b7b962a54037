import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { numberTokenKey, offersAgent, openToken, sealToken } from './business-numbers.js';

const key = randomBytes(32).toString('base64');

describe('number tokens at rest', () => {
  it('opens what it sealed, and never shows the token in the sealed form', () => {
    const sealed = sealToken(key, 'EAAG-secret-token');
    expect(sealed).not.toContain('EAAG');
    expect(sealed).not.toBe(sealToken(key, 'EAAG-secret-token')); // a fresh IV each time
    expect(openToken(key, sealed)).toBe('EAAG-secret-token');
  });

  it('refuses a tampered token or the wrong key', () => {
    const sealed = sealToken(key, 'EAAG-secret-token');
    const parts = sealed.split('.');
    // Another first character (always another: a fixed 'A' left 1 token in 64 as it was, and the test failed).
    const last = parts[3] ?? '';
    const tampered = [...parts.slice(0, 3), `${last.startsWith('A') ? 'B' : 'A'}${last.slice(1)}`].join('.');
    expect(tampered).not.toBe(sealed);
    expect(() => openToken(key, tampered)).toThrow();
    expect(() => openToken(randomBytes(32).toString('base64'), sealed)).toThrow();
    expect(() => openToken(key, 'plain-token')).toThrow('not a sealed token');
  });

  it('takes only a 32-byte key', () => {
    expect(numberTokenKey.safeParse(key).success).toBe(true);
    expect(numberTokenKey.safeParse(randomBytes(16).toString('base64')).success).toBe(false);
  });
});

describe('offersAgent', () => {
  it('offers every agent when the number names none, else only those it names', () => {
    expect(offersAgent({ agent_ids: null }, 7)).toBe(true);
    expect(offersAgent({ agent_ids: [1, 2] }, 2)).toBe(true);
    expect(offersAgent({ agent_ids: [1, 2] }, 7)).toBe(false);
  });
});
