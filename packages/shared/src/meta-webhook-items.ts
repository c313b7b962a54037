import { z } from 'zod';

/**
 * Meta's webhook items as Meta sends them (`value.messages[]`, `statuses[]`, `contacts[]`, `errors[]`, metadata):
 * what the webhook's events carry (webhook-events.ts, which re-exports all of it). Meta's wire names are kept;
 * objects are loose, so fields Meta adds later pass through.
 */

/** Meta sends unix seconds as strings, some payloads as numbers. */
export const MetaTimestamp = z.union([z.string(), z.number()]);

export const MetaMetadata = z.looseObject({
  phone_number_id: z.string(),
  display_phone_number: z.string().optional(),
});
export type MetaMetadata = z.infer<typeof MetaMetadata>;

/** `contacts[]` entry: users without a phone number carry a business-scoped `user_id` instead of `wa_id`. */
export const MetaContact = z.looseObject({
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
});
export type MetaContact = z.infer<typeof MetaContact>;

/** An error object as Meta puts it in `value.errors[]`, `messages[].errors[]` and `statuses[].errors[]`. */
export const MetaError = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type MetaError = z.infer<typeof MetaError>;

const messageBase = {
  id: z.string(),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: MetaTimestamp,
  context: z.looseObject({}).optional(),
  referral: z.looseObject({}).optional(),
  errors: z.array(MetaError).optional(),
};

export const TextMessage = z.looseObject({
  ...messageBase,
  type: z.literal('text'),
  text: z.looseObject({ body: z.string() }),
});

export const ButtonReply = z.looseObject({
  type: z.literal('button_reply'),
  button_reply: z.looseObject({ id: z.string(), title: z.string() }),
});
export const ListReply = z.looseObject({
  type: z.literal('list_reply'),
  list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }),
});
export const InteractiveMessage = z.looseObject({
  ...messageBase,
  type: z.literal('interactive'),
  interactive: z.discriminatedUnion('type', [ButtonReply, ListReply]),
});

/** A tap on a template's quick-reply button. */
export const ButtonMessage = z.looseObject({
  ...messageBase,
  type: z.literal('button'),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }),
});

/** Media as referenced in a webhook: download with the media `id`; `url` is newer and may be missing. */
export const MediaObject = z.looseObject({
  id: z.string(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  url: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});
export type MediaObject = z.infer<typeof MediaObject>;
export const ImageMessage = z.looseObject({ ...messageBase, type: z.literal('image'), image: MediaObject });
export const VideoMessage = z.looseObject({ ...messageBase, type: z.literal('video'), video: MediaObject });
export const AudioMessage = z.looseObject({ ...messageBase, type: z.literal('audio'), audio: MediaObject });
export const DocumentMessage = z.looseObject({
  ...messageBase,
  type: z.literal('document'),
  document: MediaObject,
});
export const StickerMessage = z.looseObject({
  ...messageBase,
  type: z.literal('sticker'),
  sticker: MediaObject,
});

export const LocationMessage = z.looseObject({
  ...messageBase,
  type: z.literal('location'),
  location: z.looseObject({
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  }),
});

/** `emoji` is absent when the user removes the reaction. */
export const ReactionMessage = z.looseObject({
  ...messageBase,
  type: z.literal('reaction'),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }),
});

export const ContactsMessage = z.looseObject({
  ...messageBase,
  type: z.literal('contacts'),
  contacts: z.array(z.looseObject({})),
});

/** Meta could not render the message (error 131051); `unsupported.type` says what it was. */
export const UnsupportedMessage = z.looseObject({
  ...messageBase,
  type: z.literal('unsupported'),
  unsupported: z.looseObject({ type: z.string().optional() }).optional(),
});

/** Any message whose type we do not model yet, or whose shape did not match its type's schema. */
export const UnknownMessage = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: MetaTimestamp.optional(),
});

/** The message schemas by `type`; the webhook picks `message_type` with these. */
export const knownMessageSchemas = {
  text: TextMessage,
  interactive: InteractiveMessage,
  button: ButtonMessage,
  image: ImageMessage,
  video: VideoMessage,
  audio: AudioMessage,
  document: DocumentMessage,
  sticker: StickerMessage,
  location: LocationMessage,
  reaction: ReactionMessage,
  contacts: ContactsMessage,
  unsupported: UnsupportedMessage,
} as const;
export type KnownMessageType = keyof typeof knownMessageSchemas;
export const knownMessageTypes = Object.keys(knownMessageSchemas) as KnownMessageType[];

/** `statuses[]` item: the fate of a message we sent. `status` is sent/delivered/read/failed (or newer ones). */
export const StatusItem = z.looseObject({
  id: z.string(),
  status: z.string(),
  timestamp: MetaTimestamp,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: z.array(MetaError).optional(),
  pricing: z.looseObject({}).optional(),
  conversation: z.looseObject({}).optional(),
  biz_opaque_callback_data: z.string().optional(),
});
export type StatusItem = z.infer<typeof StatusItem>;
