import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { mediaObjectKey, mediaPath } from '@wa-broker/shared/media-access';
import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';

/**
 * The agent whose `-in` topic carried the event: it owns the file, its `-in` topic hears that the file is
 * stored, its `-error` topic that it could not be.
 */
export interface OwningAgent {
  id: string;
  slug: string;
  inTopic: string;
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
  /** The media event itself: `media_stored` repeats what it said of the user and the file. */
  event: AgentInboundEvent;
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
    event,
  };
}

/**
 * The `media_stored` event (agent-inbound.ts) that follows a media event on the owning agent's `-in` topic once
 * the bytes are stored: the file as stored (size, hex sha256, MIME) with what the media event said of it. Its id
 * is the file's, so a repeat (a batch replayed after a crash) is deduped by agents like any redelivery.
 */
export function mediaStoredEvent(job: InboundMediaJob, stored: StoredFile, at: Date): AgentInboundEvent {
  const { event } = job;
  const said = event.media ?? { id: job.mediaId };
  return {
    v: 1,
    event_id: `media-stored:${job.phoneNumberId}:${job.mediaId}`,
    waID: event.waID,
    phone_number_id: job.phoneNumberId,
    ...(event.display_phone_number ? { display_phone_number: event.display_phone_number } : {}),
    type: 'media_stored',
    text: said.caption ?? '',
    raw_payload: null,
    agent: event.agent,
    user: event.user,
    timestamp: at.toISOString(),
    window_expires_at: event.window_expires_at,
    ...(job.wamid ? { wamid: job.wamid } : {}),
    media: {
      ...said,
      id: job.mediaId,
      path: job.path,
      type: job.type,
      mime_type: stored.mimeType,
      sha256: stored.sha256,
      size: stored.size,
      ...(stored.filename ? { filename: stored.filename } : {}),
    },
  };
}

/** What storage holds of a file: the part of its metadata `media_stored` reports. */
export interface StoredFile {
  mimeType: string;
  size: number;
  sha256: string;
  filename?: string;
}

/** Exponential backoff with full jitter, capped: attempt 1 waits up to `base`, attempt n up to base·2ⁿ⁻¹. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
