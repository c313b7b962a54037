import { describe, expect, it } from 'vitest';
import {
  countryOfPhone,
  deriveBusinessScopedUserId,
  isBusinessScopedUserId,
  userForAddress,
} from './bsuid.js';

// meta-2026-changes.md §1.2: "ISO-3166 alpha-2 country code, a period, up to 128 alphanumerics"; parent with ENT.
describe('business-scoped user ids', () => {
  it('recognises BSUIDs and parent BSUIDs, and nothing that is a phone number', () => {
    expect(isBusinessScopedUserId('US.13491208655302741918')).toBe(true);
    expect(isBusinessScopedUserId('US.ENT.11815799212886844830')).toBe(true);
    expect(isBusinessScopedUserId('15550001111')).toBe(false);
    expect(isBusinessScopedUserId('us.1349')).toBe(false);
    expect(isBusinessScopedUserId(`US.${'1'.repeat(129)}`)).toBe(false);
  });

  it('derives one stable id per portfolio and seed: CC. and 20 digits', () => {
    const id = deriveBusinessScopedUserId('waba-1', 'phone:15550001111', 'US');
    expect(id).toMatch(/^US\.\d{20}$/);
    expect(deriveBusinessScopedUserId('waba-1', 'phone:15550001111', 'US')).toBe(id);
    expect(deriveBusinessScopedUserId('waba-2', 'phone:15550001111', 'US')).not.toBe(id);
    expect(deriveBusinessScopedUserId('waba-1', 'phone:15550002222', 'US')).not.toBe(id);
  });

  it('takes the country from the calling code, longest prefix first', () => {
    expect(countryOfPhone('4915110000002')).toBe('DE');
    expect(countryOfPhone('15550001111')).toBe('US');
    expect(countryOfPhone('2348012345678')).toBe('NG');
    expect(countryOfPhone('99912345', 'BR')).toBe('BR');
  });

  it('makes a phone user with a derived BSUID, or a username-only user from a BSUID', () => {
    expect(userForAddress('waba-1', '4915110000002')).toEqual({
      waId: '4915110000002',
      userId: deriveBusinessScopedUserId('waba-1', 'phone:4915110000002', 'DE'),
      countryCode: 'DE',
      name: '4915110000002',
    });
    expect(userForAddress('waba-1', 'SG.123')).toEqual({
      userId: 'SG.123',
      countryCode: 'SG',
      name: 'SG.123',
    });
  });
});
