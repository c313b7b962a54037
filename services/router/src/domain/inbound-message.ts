import type { AgentInboundEvent, AgentInboundType, UserIdentity } from '@wa-broker/shared/agent-inbound';
import { type MetaMediaType, metaMediaTypes } from '@wa-broker/shared/meta-media-types';
import { userKeyOf } from '@wa-broker/shared/user-identity';

/** One user message as the router understands it, read from Meta's `messages[]` item. */
export interface InboundMessage {
  wamid: string;
  user: UserIdentity;
  /** The user's key (`userKeyOf`, shared/user-identity.ts): the BSUID when known, else wa_id. */
  userKey: string;
  sentAt: Date;
  type: AgentInboundType;
  text: string;
  /** Meta's item, forwarded base64-encoded in `raw_payload` so nothing is lost. */
  raw: unknown;
  fields: Pick<
    AgentInboundEvent,
    'reply' | 'media' | 'location' | 'contacts' | 'reaction' | 'context' | 'original_message_id'
  >;
}

type Item = Record<string, unknown>;

const isObject = (value: unknown): value is Item => typeof value === 'object' && value !== null;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Meta's timestamps are strings of unix seconds. */
export function metaTimestamp(value: unknown, fallback: Date): Date {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback;
}

/**
 * Reads a Meta message item. Every type is kept: a type we do not know becomes `unsupported` with the raw item.
 * Returns undefined only when the item has no id or no user (nothing can be routed).
 */
export function toInboundMessage(
  item: unknown,
  user: UserIdentity,
  receivedAt: Date,
): InboundMessage | undefined {
  if (!isObject(item) || !str(item.id)) return undefined;
  const identity = { ...user, wa_id: user.wa_id ?? str(item.from) };
  const userKey = userKeyOf(identity);
  if (!userKey) return undefined;
  const { type, text, fields } = readContent(item);
  const context = readContext(item.context);
  return {
    wamid: String(item.id),
    user: identity,
    userKey,
    sentAt: metaTimestamp(item.timestamp, receivedAt),
    type,
    text,
    raw: item,
    fields: context ? { ...fields, context } : fields,
  };
}

type Content = Pick<InboundMessage, 'type' | 'text' | 'fields'>;

function readContent(item: Item): Content {
  const type = str(item.type) ?? '';
  if (type === 'text' && isObject(item.text)) return { type, text: str(item.text.body) ?? '', fields: {} };
  if (type === 'interactive' && isObject(item.interactive)) return readInteractive(item.interactive);
  if (type === 'button' && isObject(item.button)) {
    // A quick-reply button of a template: its payload plays the role of a reply id.
    const title = str(item.button.text) ?? '';
    const id = str(item.button.payload) ?? title;
    return { type: 'button_reply', text: id, fields: { reply: { id, title } } };
  }
  if (isMediaType(type) && isObject(item[type])) return readMedia(type, item[type]);
  if (type === 'location' && isObject(item.location)) return readLocation(item.location);
  if (type === 'contacts' && Array.isArray(item.contacts))
    return { type: 'contacts', text: '', fields: { contacts: item.contacts.filter(isObject) } };
  if (type === 'reaction' && isObject(item.reaction)) return readReaction(item.reaction);
  if (type === 'edit' && isObject(item.edit)) return readEdit(item.edit);
  if (type === 'revoke' && isObject(item.revoke) && str(item.revoke.original_message_id))
    return {
      type: 'revoke',
      text: '',
      fields: { original_message_id: String(item.revoke.original_message_id) },
    };
  return { type: 'unsupported', text: '', fields: {} };
}

const isMediaType = (type: string): type is MetaMediaType =>
  (metaMediaTypes as readonly string[]).includes(type);

function readInteractive(interactive: Item): Content {
  const kind = str(interactive.type);
  const reply = kind === 'list_reply' || kind === 'button_reply' ? interactive[kind] : undefined;
  if (!kind || !isObject(reply) || !str(reply.id)) return { type: 'unsupported', text: '', fields: {} };
  const id = String(reply.id);
  const description = str(reply.description);
  return {
    type: kind as 'list_reply' | 'button_reply',
    text: id, // the Go original put the row id in `text`
    fields: { reply: { id, title: str(reply.title) ?? '', ...(description ? { description } : {}) } },
  };
}

function readMedia(type: MetaMediaType, media: Item): Content {
  const picked = Object.fromEntries(
    ['mime_type', 'sha256', 'caption', 'filename', 'animated', 'voice']
      .filter((key) => media[key] !== undefined)
      .map((key) => [key, media[key]]),
  );
  return { type, text: str(media.caption) ?? '', fields: { media: { id: str(media.id) ?? '', ...picked } } };
}

/**
 * The user edited a message (coexistence, within 15 min; meta-2026-changes.md §1.8): the new text, or a new
 * caption, replaces the one of `original_message_id`.
 */
function readEdit(edit: Item): Content {
  const original = str(edit.original_message_id);
  if (!original) return { type: 'unsupported', text: '', fields: {} };
  const message = isObject(edit.message) ? edit.message : {};
  const inner = isObject(message.text) ? message.text : undefined;
  const media = metaMediaTypes.map((kind) => message[kind]).find(isObject);
  const text = str(inner?.body) ?? str(media?.caption) ?? '';
  return { type: 'edit', text, fields: { original_message_id: original } };
}

function readLocation(location: Item): Content {
  const latitude = Number(location.latitude);
  const longitude = Number(location.longitude);
  const optional = Object.fromEntries(
    ['name', 'address', 'url'].filter((key) => str(location[key])).map((key) => [key, location[key]]),
  );
  return {
    type: 'location',
    text: str(location.name) ?? '',
    fields: { location: { latitude, longitude, ...optional } },
  };
}

function readReaction(reaction: Item): Content {
  const emoji = str(reaction.emoji);
  const message_id = str(reaction.message_id) ?? '';
  return {
    type: 'reaction',
    text: emoji ?? '',
    fields: { reaction: { message_id, ...(emoji ? { emoji } : {}) } },
  };
}

function readContext(context: unknown): InboundMessage['fields']['context'] {
  if (!isObject(context)) return undefined;
  const messageId = str(context.id);
  const forwarded = context.forwarded === true || context.frequently_forwarded === true;
  if (!messageId && !forwarded) return undefined;
  return {
    message_id: messageId ?? '',
    ...(str(context.from) ? { from: String(context.from) } : {}),
    ...(forwarded ? { forwarded } : {}),
  };
}
