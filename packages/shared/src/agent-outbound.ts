import { z } from 'zod';
import { metaMediaTypes } from './meta-media-types.js';

/**
 * Agent → router, on the agent's `<agent>-out` topic, keyed by the user's id.
 * The Go original's fields keep their names: `waID`, `message_type` (`text` | `list`), `text`,
 * `list_title` (the list's button label), `list_body` (its section title), `list_items`.
 * A message without `v` is read as the original's and gets a body text of "Choose an option:".
 * Meta's length limits (meta-limits.ts) are checked by the router, which answers on `-error` with the reason.
 */
export const agentOutboundTypes = [
  'text',
  'list',
  'buttons',
  'template',
  'mark_as_read',
  'reaction',
  ...metaMediaTypes,
  'end_session',
  'transfer',
] as const;
export type AgentOutboundType = (typeof agentOutboundTypes)[number];

const listRow = z.object({ id: z.string(), title: z.string(), description: z.string().optional() });
export type ListRow = z.infer<typeof listRow>;

const templateParameter = z
  .object({ type: z.string() })
  .catchall(z.unknown())
  .describe(
    'Meta template parameter: {type:"text",text}, {type:"currency",currency}, {type:"image",image}, …',
  );

export const templateMessage = z.object({
  name: z.string().min(1),
  language: z.string().min(1).describe('e.g. en_US'),
  components: z
    .array(
      z.object({
        type: z.enum(['header', 'body', 'button']),
        sub_type: z.enum(['quick_reply', 'url', 'copy_code']).optional(),
        index: z.union([z.string(), z.number()]).optional(),
        parameters: z.array(templateParameter),
      }),
    )
    .optional(),
});
export type TemplateMessage = z.infer<typeof templateMessage>;

/**
 * A file to send: `id` is the Meta media id the broker's media service returned on upload (it also keeps the
 * bytes, so the inbox can show what was sent); `link` a public https URL Meta fetches itself. One of the two.
 */
export const outboundMedia = z.object({
  id: z.string().min(1).optional(),
  link: z.url({ protocol: /^https?$/ }).optional(),
  /** image, video and document only. */
  caption: z.string().optional(),
  /** document only: the name the user sees. */
  filename: z.string().optional(),
  /** audio only: an OGG/Opus file shown as a voice note. */
  voice: z.boolean().optional(),
});
export type OutboundMedia = z.infer<typeof outboundMedia>;

export const agentOutboundMessage = z.object({
  v: z.literal(1).optional(),
  /**
   * The user's key as received on `-in` (the BSUID when known, else wa_id); a phone number or a key the user had
   * before an identity change also reaches them.
   */
  waID: z.string().min(1),
  /** The business number to send from; default: the one the user last wrote to, else the default number. */
  phone_number_id: z.string().min(1).optional(),
  message_type: z.enum(agentOutboundTypes),
  /** The router sends a message at most once per key; without one it derives a key from topic/partition/offset. */
  idempotency_key: z.string().min(1).max(200).optional(),
  /** Who wrote it, for the cost report: the agent's code (default) or an operator in the inbox. */
  origin: z.enum(['agent', 'operator']).optional(),
  text: z.string().optional(),
  list_title: z.string().optional(),
  list_body: z.string().optional(),
  list_items: z.array(listRow).nullable().optional(),
  /** Several sections instead of `list_body` + `list_items`. */
  list_sections: z.array(z.object({ title: z.string(), rows: z.array(listRow) })).optional(),
  header: z.string().optional(),
  footer: z.string().optional(),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  template: templateMessage.optional(),
  /** For `image`, `audio`, `video`, `document`, `sticker`. */
  media: outboundMedia.optional(),
  /**
   * `mark_as_read` only: also show the user "typing…" (Meta's `typing_indicator: {type: "text"}` on the read
   * call), until the reply or `metaLimits.typingIndicatorSeconds`. Only while the 24 h window is open.
   */
  typing_indicator: z.boolean().optional(),
  /** Reply to (quote) this message; for `mark_as_read` and `reaction`, the message concerned. */
  context_message_id: z.string().optional(),
  emoji: z.string().optional(),
  /** For `transfer`: the target agent's name. */
  transfer_to: z.string().optional(),
  /** For `end_session` and `transfer`: told to the user and to the next agent. */
  reason: z.string().optional(),
});
export type AgentOutboundMessage = z.infer<typeof agentOutboundMessage>;
