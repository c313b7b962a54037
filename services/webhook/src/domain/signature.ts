import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookError } from './errors.js';

const signaturePattern = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks `X-Hub-Signature-256` against the HMAC-SHA256 of the raw request bytes, under each configured app
 * secret (several during a rotation). Meta signs the bytes it sends, escapes included: re-serialised JSON
 * would not match on accents, emoji or `\/`. Returns the verified header; throws `missing_signature` or
 * `invalid_signature`.
 */
export function assertMetaSignature(
  body: Buffer,
  header: string | string[] | undefined,
  appSecrets: readonly string[],
): string {
  if (typeof header !== 'string' || header.length === 0)
    throw new WebhookError('missing_signature', 'X-Hub-Signature-256 is missing');
  const match = signaturePattern.exec(header.trim());
  if (!match?.[1]) throw new WebhookError('invalid_signature', 'X-Hub-Signature-256 is not sha256=<hex>');
  const expected = Buffer.from(match[1], 'hex');
  for (const secret of appSecrets) {
    const actual = createHmac('sha256', secret).update(body).digest();
    if (timingSafeEqual(actual, expected)) return header;
  }
  throw new WebhookError('invalid_signature', 'X-Hub-Signature-256 does not match the body');
}
