import { safeEqual } from './safe-equal.js';

/**
 * Meta's GET handshake: `hub.mode=subscribe` and our verify token → the challenge to echo back.
 * Returns null for anything else, so the caller answers 403 without echoing a byte of the request.
 */
export function verifySubscription(query: Record<string, unknown>, verifyToken: string): string | null {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
  if (challenge.length === 0 || !safeEqual(token, verifyToken)) return null;
  return challenge;
}
