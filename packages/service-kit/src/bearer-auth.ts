import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@wa-broker/shared/errors';
import type { preParsingAsyncHookHandler } from 'fastify';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * `preParsing` hook accepting `Authorization: Bearer <key>` for any configured key. preParsing, not onRequest:
 * @fastify/rate-limit's route-level onRequest hook must count a request before auth refuses it, and no
 * unauthenticated body is ever parsed.
 */
export function bearerAuth(keys: readonly string[]): preParsingAsyncHookHandler {
  // Comparing fixed-size digests in constant time: neither a key's content nor its length leaks through timing.
  const accepted = keys.map(digest);
  return async (request, _reply, payload) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const presented = match?.[1] ? digest(match[1]) : undefined;
    if (!presented || !accepted.some((key) => timingSafeEqual(key, presented)))
      throw new DomainError('unauthorized', 'missing or invalid bearer token');
    return payload;
  };
}
