import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SessionTokens } from '../domain/accounts.js';

/** 256 random bits in the cookie; Mongo keeps only their SHA-256 (fast is fine: the input is not guessable). */
export const sessionTokens: SessionTokens = {
  issue() {
    const token = randomBytes(32).toString('base64url');
    return { token, id: sessionIdOf(token) };
  },
  idOf: (token) => sessionIdOf(token),
  newOperatorId: () => randomUUID(),
};

function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
