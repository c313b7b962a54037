import { z } from 'zod';
import { metaErrorDetail } from './agent-inbound.js';

/**
 * Why a record ended on `router-dead-letter`:
 * - `unreadable`: a consumed record that no schema accepts (webhook event, `router-out`, notification request);
 * - `unknown_agent`: an `-out` topic no active agent writes to;
 * - `send_failed`: Meta refused a send after every retry;
 * - `delivery_unknown`: a send abandoned mid-call, so whether Meta has it is unknown (the sweeper's report).
 */
export const deadLetterReasons = ['unreadable', 'unknown_agent', 'send_failed', 'delivery_unknown'] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

/** Where the record that failed sits, so an operator can read or replay it. */
export const sourceCoordinates = z.object({
  topic: z.string().min(1),
  partition: z.number().int().min(0),
  offset: z.string().regex(/^\d+$/),
});
export type SourceCoordinates = z.infer<typeof sourceCoordinates>;

/**
 * The one record every writer of `router-dead-letter` produces (services/router/README.md#dead-letters).
 * `waID` and `raw_payload` keep the Go original's names and encoding (base64, as on `-error`).
 */
export const deadLetterRecord = z.object({
  v: z.literal(1),
  reason: z.enum(deadLetterReasons),
  /** What went wrong, in plain words. */
  text: z.string().min(1),
  source: sourceCoordinates,
  /** When the router gave up, ISO 8601. */
  at: z.iso.datetime({ offset: true }),
  /** The user, when the record names one. */
  waID: z.string().min(1).optional(),
  /** The agent (or `router`, `notify`) that asked for the send. */
  agent: z.string().min(1).optional(),
  idempotency_key: z.string().min(1).optional(),
  meta_error: metaErrorDetail.optional(),
  /** Base64 of the source record's value; null when there was none. */
  raw_payload: z.string().nullable(),
});
export type DeadLetterRecord = z.infer<typeof deadLetterRecord>;

export type DeadLetterInput = Omit<DeadLetterRecord, 'v' | 'at' | 'raw_payload'> & {
  at: Date;
  /** The source record's bytes, or the value it carried. */
  raw: unknown;
};

/** Builds a dead letter and checks it against the contract, so a writer cannot produce another shape. */
export function toDeadLetter(input: DeadLetterInput): DeadLetterRecord {
  const { raw, at, ...rest } = input;
  return deadLetterRecord.parse({ v: 1, ...rest, at: at.toISOString(), raw_payload: base64Of(raw) });
}

/** Keyed by the user when known (their dead letters stay in order), otherwise by the source topic. */
export const deadLetterKey = (record: DeadLetterRecord): string => record.waID ?? record.source.topic;

function base64Of(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  if (Buffer.isBuffer(raw)) return raw.toString('base64');
  return Buffer.from(typeof raw === 'string' ? raw : JSON.stringify(raw)).toString('base64');
}
