import { conversationKey } from '@wa-broker/shared/user-identity';
import type { Redis } from 'ioredis';

/**
 * Releases before conversation keys kept one user's state under `session:<user>` and `window:<user>` (the user
 * being `wa_id`, else the BSUID), for the one number a deployment served. This moves each to
 * `session:<number>:<user>` on the deployment's default number, keeping its TTL, before the router consumes
 * anything: no open session is lost on upgrade. The user part stays as it was; a phone-keyed conversation moves
 * to the BSUID (and its agent is told) the first time Meta sends both (handlers/inbound-identity.ts).
 *
 * Safe to run on every start and from several routers at once: each key moves in one script, only while it
 * still exists, and never over a newer state already written under the new key (the legacy one is dropped).
 */
export async function moveLegacyConversationKeys(
  redis: Redis,
  prefix: string,
  defaultPhoneNumberId: string,
): Promise<{ moved: number; dropped: number }> {
  let moved = 0;
  let dropped = 0;
  for (const kind of ['session', 'window'] as const) {
    const start = `${prefix}${kind}:`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(start)}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const user = key.slice(start.length);
        if (user.includes(':')) continue; // already a conversation key
        const target = `${start}${conversationKey(defaultPhoneNumberId, user)}`;
        const result = (await redis.eval(moveScript, 2, key, target)) as number;
        if (result === 1) moved += 1;
        else if (result === 2) dropped += 1;
      }
    } while (cursor !== '0');
  }
  return { moved, dropped };
}

// 1: moved with its TTL; 2: the new key already holds newer state, the legacy one is dropped; 0: gone already.
const moveScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DEL', KEYS[1]); return 2 end
redis.call('RENAME', KEYS[1], KEYS[2])
return 1
`;

const escapeGlob = (value: string) => value.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
