import { randomBytes } from 'node:crypto';
import { type BusinessNumberRecord, sealToken } from '@wa-broker/shared/business-numbers';
import { createLogger } from '@wa-broker/shared/logger';
import { describe, expect, it } from 'vitest';
import { NumberRegistry } from './number-registry.js';

const key = randomBytes(32).toString('base64');
const logger = createLogger({ service: 'numbers-test', level: 'silent' });

function record(overrides: Partial<BusinessNumberRecord>): BusinessNumberRecord {
  return {
    phone_number_id: '200',
    waba_id: '900',
    display_phone_number: '+1 555 0200',
    name: 'Support line',
    token: { source: 'stored', ciphertext: sealToken(key, 'token-200') },
    throughput_tier: 'standard',
    agent_ids: null,
    active: true,
    created_at: '2026-12-01T00:00:00.000Z',
    updated_at: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

const registry = (tokenKey: string | undefined = key, secrets: Record<string, string> = {}) =>
  new NumberRegistry({
    defaultNumber: { phoneNumberId: '100', token: 'token-100', perSecond: 20 },
    tokenKey,
    secrets,
    logger,
  });

describe('NumberRegistry', () => {
  it('sends from the default number before any registration, and from nothing unknown', () => {
    const numbers = registry();
    expect(numbers.sending('100')).toEqual({ phoneNumberId: '100', token: 'token-100', perSecond: 20 });
    expect(numbers.sending('200')).toBeNull();
    expect(numbers.offers('100', '7')).toBe(true);
  });

  it('opens a sealed token, reads a named secret, and gives each tier its throughput', () => {
    const numbers = registry(key, { SUPPORT_TOKEN: 'token-300' });
    numbers.apply(record({ throughput_tier: 'high' }));
    numbers.apply(record({ phone_number_id: '300', token: { source: 'secret', name: 'SUPPORT_TOKEN' } }));
    expect(numbers.sending('200')).toEqual({ phoneNumberId: '200', token: 'token-200', perSecond: 1000 });
    expect(numbers.sending('300')).toEqual({ phoneNumberId: '300', token: 'token-300', perSecond: 80 });
  });

  it('does not send from a deleted number, one without its secret, or one sealed with another key', () => {
    const numbers = registry(randomBytes(32).toString('base64'));
    numbers.apply(record({}));
    numbers.apply(record({ phone_number_id: '300', token: { source: 'secret', name: 'MISSING' } }));
    numbers.apply(record({ phone_number_id: '400', active: false, token: { source: 'secret', name: 'X' } }));
    expect(['200', '300', '400'].map((id) => numbers.sending(id))).toEqual([null, null, null]);
  });

  it('offers only the agents a number names, and lets the registry tune the default number', () => {
    const numbers = registry();
    numbers.apply(record({ agent_ids: [2] }));
    numbers.apply(record({ phone_number_id: '100', agent_ids: [1], throughput_tier: 'high' }));
    expect([numbers.offers('200', '1'), numbers.offers('200', '2')]).toEqual([false, true]);
    expect(numbers.offers('100', '2')).toBe(false);
    // The deployment's own limit stays a ceiling for its default number.
    expect(numbers.sending('100')?.perSecond).toBe(20);
  });
});
