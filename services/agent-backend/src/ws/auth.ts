import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the token is one of the configured operator tokens (compared in constant time). */
export function isOperatorToken(token: string | undefined, tokens: readonly string[]): boolean {
  if (!token) return false;
  return tokens.some((expected) => sameSecret(token, expected));
}

/**
 * A page on another site must not open an operator socket with a token it learnt: only same-origin pages
 * and the configured origins may. Clients without an Origin header (not browsers) pass.
 */
export function isAllowedOrigin(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
