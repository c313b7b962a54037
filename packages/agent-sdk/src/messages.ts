import type { AgentErrorCode, AgentErrorEvent } from '@wa-broker/shared/agent-errors';
import type { AgentInboundEvent, MetaErrorDetail, UserIdentity } from '@wa-broker/shared/agent-inbound';
import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';

export const mediaTypes = metaMediaTypes;
export type MediaType = MetaMediaType;

type Field<K extends keyof AgentInboundEvent> = NonNullable<AgentInboundEvent[K]>;

/** What every event from the router carries, whatever its kind. */
export interface InboundBase {
  /** Unique per event; redeliveries repeat it (the SDK dedupes on it). */
  eventId: string;
  /** The user's key (the BSUID when known, else the phone): send replies to it. */
  waID: string;
  /** Who the user is: BSUID, phone when shared, username, profile name. */
  user: UserIdentity;
  /** The business number the user wrote to (absent from older routers); replies leave from it. */
  phoneNumberId?: string;
  agent: string;
  timestamp: Date;
  /** When free-form replies stop being allowed; null if the user never wrote. See {@link isWindowOpen}. */
  windowExpiresAt: Date | null;
  /** The inbound message's wamid (absent for statuses and session events). */
  wamid?: string;
  context?: Field<'context'>;
  /** The event exactly as received. */
  event: AgentInboundEvent;
}

export interface TextMessage extends InboundBase {
  kind: 'text';
  text: string;
}
export interface ReplyMessage extends InboundBase {
  kind: 'reply';
  /** Which interactive message was answered: a list row or a reply button. */
  replyType: 'list_reply' | 'button_reply';
  reply: Field<'reply'>;
}
export interface MediaMessage extends InboundBase {
  kind: 'media';
  mediaType: MediaType;
  media: Field<'media'>;
}
/**
 * The media service stored the file of an earlier `media` event (same `wamid`, `media.id`): `media.size` is its
 * size in bytes, `media.sha256` the stored bytes' hex digest, `media.type` the media event's type.
 */
export interface MediaStored extends InboundBase {
  kind: 'media_stored';
  media: Field<'media'> & { size: number; type: MediaType; path: string };
}
export interface LocationMessage extends InboundBase {
  kind: 'location';
  location: Field<'location'>;
}
export interface ContactsMessage extends InboundBase {
  kind: 'contacts';
  contacts: Field<'contacts'>;
}
export interface ReactionMessage extends InboundBase {
  kind: 'reaction';
  /** `emoji` absent means the user removed their reaction. */
  reaction: Field<'reaction'>;
}
export interface UnsupportedMessage extends InboundBase {
  kind: 'unsupported';
}
export interface StatusUpdate extends InboundBase {
  kind: 'status';
  status: Field<'status'>;
}
export interface SessionStarted extends InboundBase {
  kind: 'session_started';
  session: Field<'session'> | undefined;
}
export interface SessionEnded extends InboundBase {
  kind: 'session_ended';
  session: Field<'session'> | undefined;
}
/**
 * The user's key changed (a new number or BSUID, or a BSUID learnt for a user known by phone): what you keep
 * under `identity.previous_waID` is this user's; reply to `waID` from now on.
 */
export interface IdentityChanged extends InboundBase {
  kind: 'identity_changed';
  identity: Field<'identity'>;
}

/** The user edited one of their messages (coexistence): `text` replaces the text of `originalMessageId`. */
export interface EditMessage extends InboundBase {
  kind: 'edit';
  text: string;
  originalMessageId: string;
}
/** The user deleted one of their messages (coexistence). */
export interface RevokeMessage extends InboundBase {
  kind: 'revoke';
  originalMessageId: string;
}
/** A Calling API event or call status (meta-2026-changes.md §1.5): `call.event`/`call.status`, `duration`. */
export interface CallUpdate extends InboundBase {
  kind: 'call';
  call: Field<'call'>;
}
/**
 * `echo`: what the business wrote from the WhatsApp Business app; `standby`: the Meta Business Agent's
 * conversation while it holds control; `handover`: a control change. `text` previews it; `event.raw_payload`
 * holds Meta's item.
 */
export interface ActivityUpdate<Kind extends 'echo' | 'standby' | 'handover'> extends InboundBase {
  kind: Kind;
  text: string;
}

/** A failure the router reports on `<agent>-error` (invalid message, window closed, delivery failed, …). */
export interface AgentError {
  kind: 'error';
  eventId: string;
  waID: string;
  code: AgentErrorCode;
  /** A plain-words reason. */
  text: string;
  timestamp: Date;
  /** The idempotency key of the outbound message concerned, when known. */
  idempotencyKey?: string;
  wamid?: string;
  metaError?: MetaErrorDetail;
  /** On `template_invalid`: what is wrong, by field of the message you sent. */
  problems?: NonNullable<AgentErrorEvent['problems']>;
  event: AgentErrorEvent;
}

export interface InboundByKind {
  text: TextMessage;
  reply: ReplyMessage;
  media: MediaMessage;
  media_stored: MediaStored;
  location: LocationMessage;
  contacts: ContactsMessage;
  reaction: ReactionMessage;
  unsupported: UnsupportedMessage;
  status: StatusUpdate;
  session_started: SessionStarted;
  session_ended: SessionEnded;
  identity_changed: IdentityChanged;
  edit: EditMessage;
  revoke: RevokeMessage;
  call: CallUpdate;
  echo: ActivityUpdate<'echo'>;
  standby: ActivityUpdate<'standby'>;
  handover: ActivityUpdate<'handover'>;
  error: AgentError;
}
export type InboundKind = keyof InboundByKind;
export type InboundMessage = InboundByKind[Exclude<InboundKind, 'error'>];

function base(event: AgentInboundEvent): InboundBase {
  return {
    eventId: event.event_id,
    waID: event.waID,
    user: event.user,
    ...(event.phone_number_id ? { phoneNumberId: event.phone_number_id } : {}),
    agent: event.agent,
    timestamp: new Date(event.timestamp),
    windowExpiresAt: event.window_expires_at ? new Date(event.window_expires_at) : null,
    ...(event.wamid ? { wamid: event.wamid } : {}),
    ...(event.context ? { context: event.context } : {}),
    event,
  };
}

/**
 * The typed view of a router event, or null when a field its type needs is missing (the event is then
 * logged and skipped rather than handed to a handler that would crash on it).
 */
export function toInboundMessage(event: AgentInboundEvent): InboundMessage | null {
  const common = base(event);
  switch (event.type) {
    case 'text':
      return { ...common, kind: 'text', text: event.text };
    case 'list_reply':
    case 'button_reply':
      // The original broker carried only the tapped id in `text`; keep working when `reply` is absent.
      return {
        ...common,
        kind: 'reply',
        replyType: event.type,
        reply: event.reply ?? { id: event.text, title: event.text },
      };
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      return event.media ? { ...common, kind: 'media', mediaType: event.type, media: event.media } : null;
    case 'media_stored': {
      const { media } = event;
      return media?.size !== undefined && media.type && media.path
        ? {
            ...common,
            kind: 'media_stored',
            media: { ...media, size: media.size, type: media.type, path: media.path },
          }
        : null;
    }
    case 'location':
      return event.location ? { ...common, kind: 'location', location: event.location } : null;
    case 'contacts':
      return { ...common, kind: 'contacts', contacts: event.contacts ?? [] };
    case 'reaction':
      return event.reaction ? { ...common, kind: 'reaction', reaction: event.reaction } : null;
    case 'unsupported':
      return { ...common, kind: 'unsupported' };
    case 'status':
      return event.status ? { ...common, kind: 'status', status: event.status } : null;
    case 'session_started':
      return { ...common, kind: 'session_started', session: event.session };
    case 'session_ended':
      return { ...common, kind: 'session_ended', session: event.session };
    case 'identity_changed':
      return event.identity ? { ...common, kind: 'identity_changed', identity: event.identity } : null;
    case 'edit':
      return event.original_message_id
        ? { ...common, kind: 'edit', text: event.text, originalMessageId: event.original_message_id }
        : null;
    case 'revoke':
      return event.original_message_id
        ? { ...common, kind: 'revoke', originalMessageId: event.original_message_id }
        : null;
    case 'call':
      return event.call ? { ...common, kind: 'call', call: event.call } : null;
    case 'echo':
    case 'standby':
    case 'handover':
      return { ...common, kind: event.type, text: event.text } as InboundMessage;
  }
}

export function toAgentError(event: AgentErrorEvent): AgentError {
  return {
    kind: 'error',
    eventId: event.event_id,
    waID: event.waID,
    code: event.code,
    text: event.text,
    timestamp: new Date(event.timestamp),
    ...(event.idempotency_key ? { idempotencyKey: event.idempotency_key } : {}),
    ...(event.wamid ? { wamid: event.wamid } : {}),
    ...(event.meta_error ? { metaError: event.meta_error } : {}),
    ...(event.problems ? { problems: event.problems } : {}),
    event,
  };
}
