import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The business's WhatsApp numbers (issue 17 §2). Meta delivers every number of a WABA to one webhook; each
 * number sends with its own `phone_number_id`, token and throughput (whatsapp-cloud-api.md §limits,
 * meta-2026-changes.md §1.9: 80 messages/s by default, 1,000 after Meta's automatic upgrade).
 */
export const throughputTiers = { standard: 80, high: 1000 } as const;
export type ThroughputTier = keyof typeof throughputTiers;

/** Meta's ids are decimal digits. */
export const metaId = z.string().regex(/^\d{1,32}$/, 'must be Meta’s numeric id');

/**
 * Where a number's Graph token comes from: `stored` (encrypted at rest with the deployment's
 * `NUMBER_TOKEN_KEY`, {@link sealToken}) or `secret` (the name of an environment variable the router reads, e.g.
 * one a Kubernetes Secret fills). The token itself never leaves the admin's input, and no API returns it.
 */
export const numberToken = z.discriminatedUnion('source', [
  z.object({ source: z.literal('stored'), ciphertext: z.string().min(1) }),
  z.object({
    source: z.literal('secret'),
    name: z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'must be an environment variable name'),
  }),
]);
export type NumberToken = z.infer<typeof numberToken>;

/** A number as the admin owns it, and the payload of number-change events (`token` sealed, never plain). */
export const businessNumberRecord = z.object({
  phone_number_id: metaId,
  waba_id: metaId,
  /** As Meta shows it (`+1 555-010-0000`); shown to operators, never used to route. */
  display_phone_number: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(200),
  token: numberToken,
  throughput_tier: z.enum(Object.keys(throughputTiers) as [ThroughputTier, ...ThroughputTier[]]),
  /** Agent ids offered on this number's menu; null: every active agent. */
  agent_ids: z.array(z.number().int().positive()).nullable(),
  /** False once deleted: the router stops answering from it. */
  active: z.boolean(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type BusinessNumberRecord = z.infer<typeof businessNumberRecord>;

export const numberChangeTypes = ['created', 'updated', 'deleted', 'snapshot'] as const;

/**
 * Admin → router, on the compacted `number-changes` topic keyed by `phone_number_id`; each event carries the
 * number's full current state (a delete is `active: false`), like agent changes.
 */
export const numberChangeEvent = z.object({
  v: z.literal(1),
  type: z.enum(numberChangeTypes),
  number: businessNumberRecord,
  published_at: z.iso.datetime(),
});
export type NumberChangeEvent = z.infer<typeof numberChangeEvent>;

/** Whether a number offers an agent on its menu. */
export function offersAgent(number: Pick<BusinessNumberRecord, 'agent_ids'>, agentId: number): boolean {
  return number.agent_ids === null || number.agent_ids.includes(agentId);
}

/**
 * `NUMBER_TOKEN_KEY`: 32 random bytes, base64 (`openssl rand -base64 32`), the same for the admin (seals) and
 * the router (opens).
 */
export const numberTokenKey = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64');

export type NumberTokenRead = { ok: true; token: string } | { ok: false; problem: string; secret?: string };

/**
 * A number's Graph token: read from the named environment variable, or opened with `NUMBER_TOKEN_KEY`. The
 * problem says why it cannot be read (never the token); the number then sends and downloads nothing.
 */
export function readNumberToken(
  token: NumberToken,
  settings: { tokenKey: string | undefined; secrets: Readonly<Record<string, string | undefined>> },
): NumberTokenRead {
  if (token.source === 'secret') {
    const value = settings.secrets[token.name];
    return value
      ? { ok: true, token: value }
      : { ok: false, problem: 'number token secret is not set', secret: token.name };
  }
  if (!settings.tokenKey)
    return { ok: false, problem: 'number token is stored sealed but NUMBER_TOKEN_KEY is not set' };
  try {
    return { ok: true, token: openToken(settings.tokenKey, token.ciphertext) };
  } catch {
    return { ok: false, problem: 'number token does not open with NUMBER_TOKEN_KEY' };
  }
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url parts; tampering fails {@link openToken}. */
export function sealToken(keyBase64: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv);
  const data = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function openToken(keyBase64: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed token');
  const decipher = createDecipheriv(
    'aes-256-gcm',
    Buffer.from(keyBase64, 'base64'),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
