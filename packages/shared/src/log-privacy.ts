import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { loadConfig } from './config.js';
import { isBusinessScopedUserId } from './user-identity.js';

/**
 * Personal data never goes into a log line (issue 24 §4): no phone number, BSUID, username, profile name or
 * message text. A line about a user carries `user: userRef(key)` instead, the same pseudonym in every service
 * for the same user, so one user's lines can still be followed across the broker. This module owns that rule;
 * the logger (logger.ts) applies the safety nets below to every line at every level.
 */

// A keyed hash: a plain SHA-256 of a phone number is reversed by trying every number. Every process of one
// deployment must get the same key (or none: then the built-in one, which keeps refs consistent but only hides
// numbers from a casual reader). Read here, once, so no service has to wire it.
const { LOG_USER_REF_KEY } = loadConfig(
  z.object({ LOG_USER_REF_KEY: z.string().min(16).default('wa-broker-log-user-ref-v1') }),
  process.env,
);

/** One user's pseudonym in logs: `u_` and 12 hex digits of HMAC-SHA256 over the user's key. */
export function userRef(key: string): string;
export function userRef(key: string | null | undefined): string | undefined;
export function userRef(key: string | null | undefined): string | undefined {
  if (key === undefined || key === null || key === '') return undefined;
  return `u_${createHmac('sha256', LOG_USER_REF_KEY).update(normalised(key)).digest('hex').slice(0, 12)}`;
}

// A phone written `+1 555 000-1111` or `15550001111` is one user; a BSUID is taken as it is.
const normalised = (key: string) =>
  !isBusinessScopedUserId(key) && /^[\d\s+().-]+$/.test(key) ? key.replace(/\D/g, '') : key;

// In free text (an error's message, a path): a BSUID, or 8 to 15 digits with an optional `+` (E.164's length)
// that are not part of a longer word or number. Long numbers of other kinds (a timestamp in ms) are caught too:
// a pseudonym in an error message costs less than a phone number in a log.
const bsuidInText = /\b[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{4,128}\b/g;
const phoneInText = /(?<![\w.+])\+?\d{8,15}(?!\w)/g;

/** `text` with every phone number and BSUID in it replaced by its {@link userRef}. */
export function scrubText(text: string): string {
  return text.replace(bsuidInText, (match) => userRef(match)).replace(phoneInText, (match) => userRef(match));
}

/** Every string inside `value` scrubbed (depth-limited: an error's nested causes and response bodies). */
export function scrubDeep(value: unknown, depth = 6): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth <= 0 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubDeep(item, depth - 1)]));
}

/** Fields whose value names a user: pseudonymised when they reach a line anyway (the logger's `redact`). */
export const userFields = [
  'wa_id',
  'waID',
  'waId',
  'user_id',
  'userId',
  'user_key',
  'userKey',
  'previous_user_id',
  'parent_user_id',
  'recipient',
  'recipient_id',
  'from',
  'to',
  'phone',
  'bsuid',
] as const;

/** Fields whose value is what a user wrote or who they say they are: never written. */
export const contentFields = [
  'text',
  'body',
  'caption',
  'parameters',
  'note',
  'query',
  'username',
  'profile',
  'profile_name',
  'contacts',
] as const;

/** The safety net's censor: a user field becomes its pseudonym, anything else `[redacted]`. */
export function censor(value: unknown, path: string[]): unknown {
  const field = path[path.length - 1] ?? '';
  if ((userFields as readonly string[]).includes(field) && typeof value === 'string') return userRef(value);
  return '[redacted]';
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  routeOptions?: { url?: string };
  socket?: { remotePort?: number };
}

/**
 * Fastify's `req` on its request lines: the route's pattern (`/sim/users/:id/messages`), never the URL, whose
 * path can name a user and whose query can carry a search or a token. A request no route matched shows its path
 * scrubbed, without the query.
 */
export function requestForLog(req: LoggedRequest): Record<string, unknown> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  return {
    method: req.method,
    url: req.routeOptions?.url ?? scrubText(safeDecode(path)),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

const safeDecode = (path: string) => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};
