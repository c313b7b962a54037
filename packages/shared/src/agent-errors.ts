import { z } from 'zod';
import { metaErrorDetail } from './agent-inbound.js';

/**
 * Router → agent, on the agent's `<agent>-error` topic. The Go original's fields keep their names:
 * `waID`, `text` (a plain-words reason), `raw_payload` (base64 of the offending input, or null).
 */
export const agentErrorCodes = [
  'invalid_message',
  'not_in_session',
  'window_closed',
  'send_failed',
  'delivery_failed',
  'unknown_agent',
  // The media service could not fetch or store a user's file (Meta's id expired, 131052, a sha256 mismatch).
  'media_unavailable',
  // A template send the broker refused before Meta (issue 19): unknown, not approved, paused, wrong parameters.
  'template_invalid',
] as const;
export type AgentErrorCode = (typeof agentErrorCodes)[number];

export const agentErrorEvent = z.object({
  v: z.literal(1),
  event_id: z.string().min(1),
  waID: z.string(),
  /** The business number the failed send was to leave from. */
  phone_number_id: z.string().min(1).optional(),
  text: z.string(),
  raw_payload: z.string().nullable(),
  code: z.enum(agentErrorCodes),
  agent: z.string(),
  timestamp: z.string(),
  idempotency_key: z.string().optional(),
  /** The outbound message Meta reported as failed; on `media_unavailable`, the user's message. */
  wamid: z.string().optional(),
  /** On `media_unavailable`: the media id and type of the file that could not be stored. */
  media: z.object({ id: z.string(), type: z.string(), path: z.string() }).optional(),
  meta_error: metaErrorDetail.optional(),
  /** On `template_invalid`: what is wrong, by field of the `-out` message (`template.components[1].parameters`). */
  problems: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  /** Where the offending `-out` message sits, for replay or inspection. */
  source: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }).optional(),
});
export type AgentErrorEvent = z.infer<typeof agentErrorEvent>;
