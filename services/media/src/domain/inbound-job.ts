import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { mediaObjectKey, mediaPath } from '@wa-broker/shared/media-access';
import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';

/** The agent whose `-in` topic carried the event: it owns the file, its `-error` topic hears of a failure. */
export interface OwningAgent {
  id: string;
  slug: string;
  errorTopic: string;
}

/** One user file to store. */
export interface InboundMediaJob {
  key: string;
  path: string;
  mediaId: string;
  type: MetaMediaType;
  phoneNumberId: string;
  waID: string;
  wamid?: string;
  /** What the webhook said of the file; Meta's lookup fills what it left out. */
  mimeType?: string;
  sha256?: string;
  filename?: string;
  owner: OwningAgent;
}

const isMediaType = (type: string): type is MetaMediaType =>
  (metaMediaTypes as readonly string[]).includes(type);

/**
 * The file an agent event is about, or null for every other event. Events of routers older than the
 * number-aware one name no number: their media belongs to the default number.
 */
export function inboundMediaJob(
  event: AgentInboundEvent,
  owner: OwningAgent,
  defaultNumberId: string,
): InboundMediaJob | null {
  const { media } = event;
  if (!media?.id || !isMediaType(event.type)) return null;
  const phoneNumberId = event.phone_number_id ?? defaultNumberId;
  return {
    key: mediaObjectKey(phoneNumberId, media.id),
    path: media.path ?? mediaPath(phoneNumberId, media.id),
    mediaId: media.id,
    type: event.type,
    phoneNumberId,
    waID: event.waID,
    ...(event.wamid ? { wamid: event.wamid } : {}),
    ...(media.mime_type ? { mimeType: media.mime_type } : {}),
    ...(media.sha256 ? { sha256: media.sha256 } : {}),
    ...(media.filename ? { filename: media.filename } : {}),
    owner,
  };
}

/** Exponential backoff with full jitter, capped: attempt 1 waits up to `base`, attempt n up to base·2ⁿ⁻¹. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
