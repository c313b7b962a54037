import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHash, PasswordHasher } from '../domain/ports.js';

/**
 * OWASP's scrypt minimum (N=2^17, r=8, p=1) costs 128 MiB per hash; 2^15 (32 MiB, ~60–100 ms) keeps sign-in
 * bursts from exhausting a small container while staying memory-hard. The parameters are stored with each hash,
 * so raising them later leaves old hashes verifiable.
 */
export const defaultScryptCost = { N: 2 ** 15, r: 8, p: 1, keylen: 64 } as const;

function derive(password: string, salt: Buffer, cost: Omit<PasswordHash, 'algorithm' | 'salt' | 'hash'>) {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    maxmem: 256 * cost.N * cost.r + 1024 * 1024,
  };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, cost.keylen, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export function scryptHasher(
  cost: Omit<PasswordHash, 'algorithm' | 'salt' | 'hash'> = defaultScryptCost,
): PasswordHasher {
  const dummySalt = randomBytes(16);
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, cost);
      return { algorithm: 'scrypt', salt: salt.toString('base64'), hash: key.toString('base64'), ...cost };
    },
    async verify(password, stored) {
      if (stored.algorithm !== 'scrypt') return false;
      const expected = Buffer.from(stored.hash, 'base64');
      const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
      return key.length === expected.length && timingSafeEqual(key, expected);
    },
    async burn(password) {
      await derive(password, dummySalt, cost);
    },
  };
}
