import { describe, expect, it } from 'vitest';
import { scryptHasher } from './password.scrypt.js';

describe('scrypt passwords', () => {
  const hasher = scryptHasher({ N: 2 ** 10, r: 8, p: 1, keylen: 64 });

  it('stores salt and cost, verifies the password and nothing else', async () => {
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatchObject({ algorithm: 'scrypt', N: 1024, r: 8, p: 1, keylen: 64 });
    expect(stored.hash).not.toContain('correct');
    expect(await hasher.verify('correct horse battery', stored)).toBe(true);
    expect(await hasher.verify('correct horse batterz', stored)).toBe(false);
  });

  it('salts every hash and verifies with the cost stored, not the current one', async () => {
    const [a, b] = [await hasher.hash('same password'), await hasher.hash('same password')];
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    const stronger = scryptHasher({ N: 2 ** 11, r: 8, p: 1, keylen: 64 });
    expect(await stronger.verify('same password', a)).toBe(true);
  });
});
