import { createHash } from 'node:crypto';
import { isBusinessScopedUserId } from '@wa-broker/shared/user-identity';
import type { SimUser } from './webhook-payloads.js';

/** Business-scoped user ids: the format rule is the broker's (shared/user-identity.ts), the simulator's too. */
export { isBusinessScopedUserId };

/**
 * A user's BSUID, derived rather than random so that a user keeps it across simulator restarts: scoped to one
 * business portfolio (`portfolio`), and new for a new phone number or an explicit rotation (`seed` changes).
 * 20 digits like Meta's examples.
 */
export function deriveBusinessScopedUserId(portfolio: string, seed: string, countryCode: string): string {
  const hash = createHash('sha256').update(`${portfolio}:${seed}`).digest();
  const digits = (hash.readBigUInt64BE(0) * 1000n + BigInt(hash.readUInt16BE(8) % 1000))
    .toString()
    .padStart(20, '0')
    .slice(-20);
  return `${countryCode}.${digits}`;
}

// Calling code → country, for the prefixes the simulator's users are likely to have; longest prefix wins.
const countries: Record<string, string> = {
  '1': 'US',
  '7': 'RU',
  '20': 'EG',
  '27': 'ZA',
  '30': 'GR',
  '31': 'NL',
  '32': 'BE',
  '33': 'FR',
  '34': 'ES',
  '39': 'IT',
  '41': 'CH',
  '43': 'AT',
  '44': 'GB',
  '45': 'DK',
  '46': 'SE',
  '47': 'NO',
  '48': 'PL',
  '49': 'DE',
  '51': 'PE',
  '52': 'MX',
  '54': 'AR',
  '55': 'BR',
  '56': 'CL',
  '57': 'CO',
  '60': 'MY',
  '61': 'AU',
  '62': 'ID',
  '63': 'PH',
  '65': 'SG',
  '81': 'JP',
  '82': 'KR',
  '86': 'CN',
  '90': 'TR',
  '91': 'IN',
  '92': 'PK',
  '212': 'MA',
  '213': 'DZ',
  '233': 'GH',
  '234': 'NG',
  '351': 'PT',
  '353': 'IE',
  '880': 'BD',
  '966': 'SA',
  '971': 'AE',
  '972': 'IL',
  '977': 'NP',
};

/** The country of a phone number by its calling code; `fallback` when the prefix is not in the table. */
export function countryOfPhone(waId: string, fallback = 'US'): string {
  for (const length of [3, 2, 1]) {
    const country = countries[waId.slice(0, length)];
    if (country) return country;
  }
  return fallback;
}

/**
 * The user a phone number or BSUID names when the simulator meets it first (a send to a new number, an action
 * of a new user): a phone user gets the BSUID derived from the number, a BSUID alone makes a username-only user.
 */
export function userForAddress(portfolio: string, address: string): SimUser {
  if (isBusinessScopedUserId(address))
    return { userId: address, countryCode: address.slice(0, 2), name: address };
  const countryCode = countryOfPhone(address);
  return {
    waId: address,
    userId: deriveBusinessScopedUserId(portfolio, `phone:${address}`, countryCode),
    countryCode,
    name: address,
  };
}
