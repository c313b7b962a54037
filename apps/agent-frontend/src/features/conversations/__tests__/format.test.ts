import { describe, expect, it } from 'vitest';
import { userDetails, userLabel } from '../components/format.js';

// Issue 17: users keyed by their business-scoped id; the inbox shows name, username, phone when shared, number.
describe('how the inbox names a user', () => {
  it('prefers the profile name, then the username, then the phone; a BSUID key only as the last resort', () => {
    expect(userLabel({ wa_id: 'US.1', name: 'Ana', username: 'ana' })).toBe('Ana');
    expect(userLabel({ wa_id: 'US.1', username: 'ana' })).toBe('@ana');
    expect(userLabel({ wa_id: 'US.1', phone: '15550001111' })).toBe('+15550001111');
    expect(userLabel({ wa_id: '15550001111' })).toBe('+15550001111');
    expect(userLabel({ wa_id: 'US.1' })).toBe('US.1');
  });

  it('details username, phone (or that it is not shared) and the number written to', () => {
    expect(
      userDetails({
        wa_id: 'US.1',
        username: 'ana',
        phone: '15550001111',
        display_phone_number: '+1 555 0100',
      }),
    ).toBe('@ana · +15550001111 · to +1 555 0100');
    expect(userDetails({ wa_id: 'US.1', phone_number_id: '1065' })).toBe('phone not shared · to number 1065');
  });
});
