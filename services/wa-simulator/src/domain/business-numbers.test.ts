import { describe, expect, it } from 'vitest';
import { bearerToken, NumberDirectory, publicNumber, type SimNumber } from './business-numbers.js';

const a: SimNumber = {
  wabaId: '1001',
  phoneNumberId: '2001',
  displayPhoneNumber: '15550009999',
  accessTokens: ['token_a', 'token_shared'],
  throughputPerSecond: 80,
};
const b: SimNumber = { ...a, wabaId: '1002', phoneNumberId: '2002', accessTokens: ['token_b'] };
const numbers = new NumberDirectory([a, b]);
const bearer = (token: string) => `Bearer ${token}`;

describe('NumberDirectory', () => {
  it('takes the first number as the default and finds each by its phone_number_id', () => {
    expect(numbers.first).toBe(a);
    expect(numbers.find('2002')).toBe(b);
    expect(numbers.find('2003')).toBeUndefined();
  });

  it("lets a number's own token through and no other", () => {
    expect(numbers.access('2001', bearer('token_shared'))).toEqual({ ok: true, number: a });
    expect(numbers.access('2002', bearer('token_b'))).toEqual({ ok: true, number: b });
    const crossed = [numbers.access('2001', bearer('token_b')), numbers.access('2002', bearer('token_a'))];
    for (const access of crossed) expect(access).toMatchObject({ ok: false, error: { code: 190 } });
  });

  it('answers a token no number has with 190 before looking at the id, and an unknown id with 100/33', () => {
    expect(numbers.access('9999', bearer('nope'))).toMatchObject({ ok: false, error: { code: 190 } });
    expect(numbers.access('2001', undefined)).toMatchObject({ ok: false, error: { code: 190 } });
    expect(numbers.access('9999', bearer('token_b'))).toMatchObject({
      ok: false,
      error: { code: 100, subcode: 33 },
    });
  });

  it('refuses two numbers with one phone_number_id', () => {
    expect(() => new NumberDirectory([a, { ...b, phoneNumberId: '2001' }])).toThrow(/distinct/);
  });
});

describe('bearerToken and publicNumber', () => {
  it('reads the token of a Bearer header, case-insensitively', () => {
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
  });

  it('shows a number without its tokens', () => {
    expect(publicNumber(b)).toEqual({
      phone_number_id: '2002',
      display_phone_number: '15550009999',
      waba_id: '1002',
      throughput_per_second: 80,
    });
  });
});
