import { createHash, randomUUID } from 'node:crypto';
import type {
  AgentOutboundMessage,
  ListRow,
  OutboundMedia,
  TemplateMessage,
} from '@wa-broker/shared/agent-outbound';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import { validateOutbound } from './validate.js';

export interface SendOptions {
  /**
   * The router sends at most once per key. Inside a handler the default is derived from the event id and the
   * reply's position, so a redelivered event produces the same keys and the user is not answered twice.
   */
  idempotencyKey?: string;
  /** Quote this message (a wamid) in the reply. */
  replyTo?: string;
  /**
   * The business number to send from. Inside a handler the default is the number the user wrote to; elsewhere
   * the router picks the one the user last wrote to, else the deployment's default.
   */
  phoneNumberId?: string;
}

export interface ListOptions extends SendOptions {
  /** The button that opens the list (≤ 20 characters). */
  button: string;
  /** The message body above the button. */
  body?: string;
  header?: string;
  footer?: string;
  /** One section: its title and rows. Or use `sections` for several. */
  title?: string;
  rows?: ListRow[];
  sections?: { title: string; rows: ListRow[] }[];
}

export interface ButtonsOptions extends SendOptions {
  body: string;
  buttons: { id: string; title: string }[];
  header?: string;
  footer?: string;
}

/** What a send produced: the message as put on `-out`, including its idempotency key. */
export interface Sent {
  idempotencyKey: string;
  message: AgentOutboundMessage;
}

/** Senders addressed to any user. Every method validates before producing and rejects with the reason. */
export interface Sender {
  text(to: string, text: string, options?: SendOptions): Promise<Sent>;
  list(to: string, options: ListOptions): Promise<Sent>;
  buttons(to: string, options: ButtonsOptions): Promise<Sent>;
  template(to: string, template: TemplateMessage, options?: SendOptions): Promise<Sent>;
  markAsRead(to: string, wamid: string, options?: SendOptions): Promise<Sent>;
  /**
   * Shows the user "typing…" (and marks `wamid`, their latest message, read) until the reply or 25 s
   * (`metaLimits.typingIndicatorSeconds`); only while the 24 h window is open, and only if a reply follows.
   */
  typing(to: string, wamid: string, options?: SendOptions): Promise<Sent>;
  /** An empty `emoji` removes the reaction. */
  reaction(to: string, wamid: string, emoji: string, options?: SendOptions): Promise<Sent>;
  /**
   * A photo, voice note (`audio` with `voice: true`, OGG/Opus), video, document (with `filename`) or sticker: by
   * the `id` an upload returned (`createMediaClient().upload`), or a public `link`.
   */
  media(to: string, type: MetaMediaType, media: OutboundMedia, options?: SendOptions): Promise<Sent>;
  /** Hands the user back to the router's menu; `reason` is told to the user. */
  endSession(to: string, reason?: string, options?: SendOptions): Promise<Sent>;
  /** Hands the user to another agent (by name); `reason` is told to the user and the next agent. */
  transfer(to: string, agentName: string, reason?: string, options?: SendOptions): Promise<Sent>;
  /**
   * A `-out` body built elsewhere (e.g. the original broker's single-section list, `list_body` + `list_items`),
   * checked like the others.
   */
  message(to: string, body: OutboundBody, options?: SendOptions): Promise<Sent>;
}

/** A `-out` message without what the sender fills in: `v`, `waID` and `idempotency_key`. */
export type OutboundBody = Omit<AgentOutboundMessage, 'v' | 'waID' | 'idempotency_key'>;
type Bound<F> = F extends (to: string, ...rest: infer R) => infer Out ? (...rest: R) => Out : never;
/** The same senders bound to one user: `ctx.reply.text('hi')` inside a handler. */
export type Replier = { [K in keyof Sender]: Bound<Sender[K]> };

export type Produce = (message: AgentOutboundMessage) => Promise<void>;

/** Keys over 200 characters are refused by the contract; long ones are hashed, keeping them deterministic. */
export function idempotencyKeyOf(...parts: string[]): string {
  const key = parts.join(':');
  return key.length <= 200 ? key : `h:${createHash('sha256').update(key).digest('hex')}`;
}

export function createSender(
  produce: Produce,
  nextKey: () => string = randomUUID,
  /** More checks before producing (the template store's, when the agent follows it); throws to refuse. */
  check: (message: AgentOutboundMessage) => void = () => undefined,
): Sender {
  const send = async (to: string, payload: OutboundBody, options: SendOptions = {}): Promise<Sent> => {
    const idempotencyKey = options.idempotencyKey ?? nextKey();
    const message: AgentOutboundMessage = {
      v: 1,
      waID: to,
      idempotency_key: idempotencyKey,
      ...payload,
      ...(options.replyTo && !payload.context_message_id ? { context_message_id: options.replyTo } : {}),
      ...(options.phoneNumberId && !payload.phone_number_id
        ? { phone_number_id: options.phoneNumberId }
        : {}),
    };
    validateOutbound(message);
    check(message);
    await produce(message);
    return { idempotencyKey, message };
  };
  return {
    text: (to, text, options) => send(to, { message_type: 'text', text }, options),
    list: (to, options) => send(to, listPayload(options), options),
    buttons: (to, { body, buttons, header, footer, ...options }) =>
      send(to, { message_type: 'buttons', text: body, buttons, ...optionalTexts(header, footer) }, options),
    template: (to, template, options) => send(to, { message_type: 'template', template }, options),
    markAsRead: (to, wamid, options) =>
      send(to, { message_type: 'mark_as_read', context_message_id: wamid }, options),
    typing: (to, wamid, options) =>
      send(to, { message_type: 'mark_as_read', context_message_id: wamid, typing_indicator: true }, options),
    reaction: (to, wamid, emoji, options) =>
      send(to, { message_type: 'reaction', context_message_id: wamid, emoji }, options),
    media: (to, type, media, options) => send(to, { message_type: type, media }, options),
    endSession: (to, reason, options) =>
      send(to, { message_type: 'end_session', ...(reason ? { reason } : {}) }, options),
    transfer: (to, agentName, reason, options) =>
      send(to, { message_type: 'transfer', transfer_to: agentName, ...(reason ? { reason } : {}) }, options),
    message: (to, body, options) => send(to, body, options),
  };
}

function listPayload(options: ListOptions): OutboundBody {
  const sections = options.sections ?? [{ title: options.title ?? '', rows: options.rows ?? [] }];
  return {
    message_type: 'list',
    list_title: options.button,
    list_sections: sections,
    ...(options.body !== undefined ? { text: options.body } : {}),
    ...optionalTexts(options.header, options.footer),
  };
}

function optionalTexts(header: string | undefined, footer: string | undefined) {
  return { ...(header !== undefined ? { header } : {}), ...(footer !== undefined ? { footer } : {}) };
}

/**
 * Binds a sender to one user (and the number they wrote to); `keyPrefix` makes the default keys deterministic
 * (`<event_id>:<n>`).
 */
export function bindReplier(sender: Sender, to: string, keyPrefix: string, phoneNumberId?: string): Replier {
  let position = 0;
  const key = <O extends SendOptions>(options?: O): O =>
    ({
      ...(phoneNumberId ? { phoneNumberId } : {}),
      ...options,
      idempotencyKey: options?.idempotencyKey ?? idempotencyKeyOf(keyPrefix, String(position++)),
    }) as O;
  return {
    text: (text, options) => sender.text(to, text, key(options)),
    list: (options) => sender.list(to, key(options)),
    buttons: (options) => sender.buttons(to, key(options)),
    template: (template, options) => sender.template(to, template, key(options)),
    markAsRead: (wamid, options) => sender.markAsRead(to, wamid, key(options)),
    typing: (wamid, options) => sender.typing(to, wamid, key(options)),
    reaction: (wamid, emoji, options) => sender.reaction(to, wamid, emoji, key(options)),
    media: (type, media, options) => sender.media(to, type, media, key(options)),
    endSession: (reason, options) => sender.endSession(to, reason, key(options)),
    transfer: (agentName, reason, options) => sender.transfer(to, agentName, reason, key(options)),
    message: (body, options) => sender.message(to, body, key(options)),
  };
}
