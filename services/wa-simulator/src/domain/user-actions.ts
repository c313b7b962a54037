import { metaMediaLimits } from '@wa-broker/shared/meta-media-rules';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import { type BusinessNumber, type SimUser, sharedPhone, unixSeconds } from './webhook-payloads.js';

/**
 * A file the user sent, as Meta describes it under its type's key (whatsapp-cloud-api.md §3.2, §8 item 1):
 * `sha256` in base64 as in Meta's current examples, `url` the short-lived download URL.
 */
export interface InboundMedia {
  type: MetaMediaType;
  media_id: string;
  mime_type: string;
  sha256: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
  animated?: boolean;
  url?: string;
}

/** What a simulated user can do on the phone page or through the API. */
export type UserAction =
  | { type: 'text'; text: string; context_message_id?: string }
  | {
      type: 'list_reply' | 'button_reply';
      id: string;
      title: string;
      description?: string;
      context_message_id?: string;
    }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | InboundMedia
  /** A file above Meta's inbound cap (100 MB): the business gets error 131052 instead of the file. */
  | { type: 'media_too_large'; media_type: MetaMediaType }
  | { type: 'reaction'; message_id: string; emoji?: string }
  | { type: 'unsupported' };

/** Who sent it: `from` only when the phone is shared, `from_user_id` always (meta-2026-changes.md §1.2). */
function senderOf(user: SimUser): Record<string, unknown> {
  const waId = sharedPhone(user);
  return { ...(waId ? { from: waId } : {}), from_user_id: user.userId };
}

/** The `messages[]` item Meta sends for a user action. */
export function inboundMessageItem(
  number: BusinessNumber,
  user: SimUser,
  wamid: string,
  at: Date,
  action: UserAction,
): Record<string, unknown> {
  const base = { ...senderOf(user), id: wamid, timestamp: unixSeconds(at) };
  // The quoted message is the business's: Meta names the business number in `context.from` (fixtures).
  const context =
    'context_message_id' in action && action.context_message_id
      ? { context: { from: number.displayPhoneNumber, id: action.context_message_id } }
      : {};
  switch (action.type) {
    case 'text':
      return { ...base, ...context, type: 'text', text: { body: action.text } };
    case 'list_reply':
    case 'button_reply': {
      const reply = {
        id: action.id,
        title: action.title,
        ...(action.description ? { description: action.description } : {}),
      };
      return {
        ...base,
        ...context,
        type: 'interactive',
        interactive: { type: action.type, [action.type]: reply },
      };
    }
    case 'location':
      return {
        ...base,
        type: 'location',
        location: {
          latitude: action.latitude,
          longitude: action.longitude,
          name: action.name,
          address: action.address,
        },
      };
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      return { ...base, type: action.type, [action.type]: mediaObject(action) };
    case 'media_too_large':
      return { ...base, ...tooLarge(action.media_type) };
    case 'reaction':
      return {
        ...base,
        type: 'reaction',
        reaction: { message_id: action.message_id, ...(action.emoji ? { emoji: action.emoji } : {}) },
      };
    case 'unsupported':
      return {
        ...base,
        type: 'unsupported',
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
          },
        ],
        unsupported: { type: 'poll_creation' },
      };
  }
}

/** `{id, mime_type, sha256, caption?, filename?, voice?, animated?, url?}`: each field only where Meta has it. */
function mediaObject(media: InboundMedia): Record<string, unknown> {
  return {
    ...(media.caption && ['image', 'video', 'document'].includes(media.type)
      ? { caption: media.caption }
      : {}),
    ...(media.type === 'document' && media.filename ? { filename: media.filename } : {}),
    mime_type: media.mime_type,
    sha256: media.sha256,
    id: media.media_id,
    ...(media.url ? { url: media.url } : {}),
    ...(media.type === 'audio' ? { voice: media.voice ?? false } : {}),
    ...(media.type === 'sticker' ? { animated: media.animated ?? false } : {}),
  };
}

/**
 * Meta's webhook for a file above 100 MB (business-phone-numbers/media, "Media message download constraints"):
 * error 131052 with that title. The message's shape is the unsupported one (`type: "unsupported"`, `errors[]`,
 * `unsupported.type` naming what the user sent), as Meta reports a message it cannot pass on (§3.7).
 */
function tooLarge(mediaType: MetaMediaType): Record<string, unknown> {
  const megabytes = metaMediaLimits.inboundMaxBytes / (1024 * 1024);
  const title = `Media file size too big. Max file size we currently support: ${megabytes}MB. Please communicate with your customer to send a media file that is smaller than ${megabytes}MB`;
  return {
    type: 'unsupported',
    errors: [
      {
        code: 131052,
        title,
        message: title,
        error_data: {
          details: 'Media download error: the file the user sent is larger than the maximum size.',
        },
      },
    ],
    unsupported: { type: mediaType },
  };
}

/** A change of the user's identity: the phone number (and with it the BSUID), or the BSUID alone. */
export type IdentityChange =
  | { type: 'user_changed_number'; before: SimUser; after: SimUser }
  | { type: 'user_changed_user_id'; before: SimUser; after: SimUser };

/**
 * Meta's system message for an identity change (meta-2026-changes.md §1.2, changelog 2026-08-11): on the
 * `messages` field, `type: "system"`, the new `system.user_id` with `system.previous_user_id`; sent by the
 * user as they were before. A number change also names the new number in `system.wa_id`.
 */
export function systemMessageItem(change: IdentityChange, wamid: string, at: Date): Record<string, unknown> {
  const { before, after } = change;
  const changed =
    change.type === 'user_changed_number'
      ? `${before.waId ?? before.userId} to ${after.waId ?? after.userId}`
      : `${before.userId} to ${after.userId}`;
  return {
    ...senderOf(before),
    id: wamid,
    timestamp: unixSeconds(at),
    type: 'system',
    system: {
      body: `User ${after.name} changed from ${changed}`,
      ...(change.type === 'user_changed_number' && after.waId ? { wa_id: after.waId } : {}),
      type: change.type,
      user_id: after.userId,
      previous_user_id: before.userId,
    },
  };
}
