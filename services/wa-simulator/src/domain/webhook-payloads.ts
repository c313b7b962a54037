import { createHmac } from 'node:crypto';

export interface BusinessNumber {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export interface SimUser {
  waId: string;
  name: string;
}

/** One change of a webhook body: a user's messages, or statuses, for one business number. */
export type WebhookChange = Record<string, unknown>;

/**
 * Meta's wire format: JSON with every non-ASCII character escaped as `\uXXXX` in lowercase hex. Meta signs
 * these bytes, so receivers must check the signature over the raw body, never over re-serialised JSON.
 */
export function metaJson(value: unknown): Buffer {
  const escaped = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return Buffer.from(escaped, 'utf8');
}

export function signatureHeader(body: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

const unixSeconds = (at: Date): string => String(Math.floor(at.getTime() / 1000));

export function messagesChange(
  number: BusinessNumber,
  user: SimUser,
  messages: Record<string, unknown>[],
): WebhookChange {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
      contacts: [{ profile: { name: user.name }, wa_id: user.waId }],
      messages,
    },
    field: 'messages',
  };
}

export interface StatusUpdate {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  recipientId: string;
  error?: { code: number; title: string; details: string };
  /** The send's `biz_opaque_callback_data`, echoed in each of its statuses. */
  bizOpaqueCallbackData?: string;
}

export function statusesChange(number: BusinessNumber, statuses: StatusUpdate[]): WebhookChange {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
      statuses: statuses.map((update) => ({
        id: update.wamid,
        status: update.status,
        timestamp: unixSeconds(update.at),
        recipient_id: update.recipientId,
        ...(update.bizOpaqueCallbackData !== undefined
          ? { biz_opaque_callback_data: update.bizOpaqueCallbackData }
          : {}),
        ...(update.status === 'sent'
          ? {
              pricing: {
                billable: false,
                pricing_model: 'PMP',
                type: 'free_customer_service',
                category: 'service',
              },
            }
          : {}),
        ...(update.error
          ? {
              errors: [
                {
                  code: update.error.code,
                  title: update.error.title,
                  message: update.error.title,
                  error_data: { details: update.error.details },
                },
              ],
            }
          : {}),
      })),
    },
    field: 'messages',
  };
}

/** A webhook body; Meta batches up to 1000 updates, here as one entry with several changes. */
export function webhookBody(number: BusinessNumber, changes: WebhookChange[]): Record<string, unknown> {
  return { object: 'whatsapp_business_account', entry: [{ id: number.wabaId, changes }] };
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
  | { type: 'image'; media_id: string; mime_type: string; sha256: string; caption?: string }
  | { type: 'reaction'; message_id: string; emoji?: string }
  | { type: 'unsupported' };

/** The `messages[]` item Meta sends for a user action. */
export function inboundMessageItem(
  user: SimUser,
  wamid: string,
  at: Date,
  action: UserAction,
): Record<string, unknown> {
  const base = { from: user.waId, id: wamid, timestamp: unixSeconds(at) };
  const context =
    'context_message_id' in action && action.context_message_id
      ? { context: { from: user.waId, id: action.context_message_id } }
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
      return {
        ...base,
        type: 'image',
        image: {
          id: action.media_id,
          mime_type: action.mime_type,
          sha256: action.sha256,
          caption: action.caption,
        },
      };
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
