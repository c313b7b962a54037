import { metaLimits } from '@wa-broker/shared/meta-limits';
import { metaMediaTypes } from '@wa-broker/shared/meta-media-types';
import { isBusinessScopedUserId } from './bsuid.js';
import { type MetaError, metaErrors } from './meta-errors.js';

/**
 * Whom a send addresses: a phone number in `to` (normalised: `+`, `-`, `(`, `)` and spaces dropped), or a
 * business-scoped user id in `recipient`, never normalised. `input` is the value exactly as sent, which Meta
 * echoes in `contacts[0].input` (whatsapp-cloud-api.md §5.1, meta-2026-changes.md §1.2).
 */
export type Addressee =
  | { kind: 'phone'; input: string; waId: string }
  | { kind: 'bsuid'; input: string; userId: string };

export type SendRequest =
  | { kind: 'mark_read'; messageId: string; typing: boolean }
  | {
      kind: 'message';
      to: Addressee;
      type: string;
      /** Free-form types are refused outside the 24 h window; templates are not. */
      needsOpenWindow: boolean;
      contextMessageId?: string;
      /** Echoed in every status webhook of the message, as Meta does. */
      bizOpaqueCallbackData?: string;
      body: Record<string, unknown>;
    };

export type Validation = { ok: true; request: SendRequest } | { ok: false; error: MetaError };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const fail = (error: MetaError): Validation => ({ ok: false, error });

const mediaTypes = new Set<string>(metaMediaTypes);
const freeFormTypes = new Set(['text', 'interactive', 'reaction', ...mediaTypes, 'location', 'contacts']);

/** Checks a `POST /{phone-number-id}/messages` body the way Meta does, limits included. */
export function validateSendRequest(body: unknown): Validation {
  if (!isObject(body)) return fail(metaErrors.invalidParameter('The request body must be a JSON object'));
  if (body.messaging_product !== 'whatsapp') {
    return fail(metaErrors.requiredParameterMissing('messaging_product is required and must be "whatsapp"'));
  }
  if (body.status === 'read') {
    const messageId = text(body.message_id);
    if (!messageId)
      return fail(metaErrors.requiredParameterMissing('message_id is required to mark a message as read'));
    return { ok: true, request: { kind: 'mark_read', messageId, typing: isObject(body.typing_indicator) } };
  }
  const to = addresseeOf(body);
  if ('error' in to) return fail(to.error);
  const type = text(body.type) ?? 'text';
  if (type !== 'template' && !freeFormTypes.has(type)) {
    return fail(metaErrors.parameterValueInvalid(`Unsupported message type "${type}"`));
  }
  const problem = checkTypePayload(type, body[type]) ?? checkCallbackData(body.biz_opaque_callback_data);
  if (problem) return fail(problem);
  const context = isObject(body.context) ? text(body.context.message_id) : undefined;
  const callbackData = text(body.biz_opaque_callback_data);
  return {
    ok: true,
    request: {
      kind: 'message',
      to,
      type,
      needsOpenWindow: type !== 'template',
      body,
      ...(context ? { contextMessageId: context } : {}),
      ...(callbackData ? { bizOpaqueCallbackData: callbackData } : {}),
    },
  };
}

/** `to` wins when both are set; `recipient` must look like a BSUID (meta-2026-changes.md §1.2). */
function addresseeOf(body: Json): Addressee | { error: MetaError } {
  const phone = text(body.to);
  const waId = phone?.replace(/[\s()+-]/g, '');
  if (phone !== undefined && waId) return { kind: 'phone', input: phone, waId };
  const recipient = text(body.recipient);
  if (recipient === undefined || recipient === '')
    return { error: metaErrors.requiredParameterMissing('to (or recipient) is required') };
  if (!isBusinessScopedUserId(recipient))
    return { error: metaErrors.invalidParameter('Param recipient must be a valid business-scoped user ID.') };
  return { kind: 'bsuid', input: recipient, userId: recipient };
}

/**
 * Optional, a string of at most 512 characters. Meta's pages give the limit but not the refusal's wording; this
 * is the Graph API's generic parameter check (#100), as it answers for other over-long parameters.
 */
function checkCallbackData(value: unknown): MetaError | undefined {
  if (value === undefined) return undefined;
  const field = 'biz_opaque_callback_data';
  if (typeof value !== 'string') return metaErrors.invalidParameter(`Param ${field} must be a string.`);
  const max = metaLimits.bizOpaqueCallbackData;
  if (value.length > max)
    return metaErrors.invalidParameter(`Param ${field} must be at most ${max} characters long.`);
  return undefined;
}

function checkTypePayload(type: string, payload: unknown): MetaError | undefined {
  if (!isObject(payload))
    return metaErrors.requiredParameterMissing(`${type} object is required for type "${type}"`);
  if (type === 'text') return checkText(payload);
  if (type === 'interactive') return checkInteractive(payload);
  if (type === 'template') return checkTemplate(payload);
  if (type === 'reaction')
    return text(payload.message_id)
      ? undefined
      : metaErrors.requiredParameterMissing('reaction.message_id is required');
  if (mediaTypes.has(type) && !text(payload.id) && !text(payload.link)) {
    return metaErrors.requiredParameterMissing(`${type}.id or ${type}.link is required`);
  }
  return undefined;
}

function tooLong(field: string, value: unknown, max: number, required = true): MetaError | undefined {
  const content = text(value);
  if (content === undefined || content.length === 0) {
    return required ? metaErrors.requiredParameterMissing(`${field} is required`) : undefined;
  }
  if (content.length > max)
    return metaErrors.parameterValueInvalid(
      `${field} is too long: ${content.length} characters, maximum ${max}`,
    );
  return undefined;
}

function checkText(payload: Json): MetaError | undefined {
  return tooLong('text.body', payload.body, metaLimits.textBody);
}

function checkInteractive(payload: Json): MetaError | undefined {
  const action = isObject(payload.action) ? payload.action : undefined;
  if (!action) return metaErrors.requiredParameterMissing('interactive.action is required');
  const bodyText = isObject(payload.body) ? payload.body.text : undefined;
  const footer = isObject(payload.footer) ? payload.footer.text : undefined;
  if (payload.type === 'list') {
    const limits = metaLimits.list;
    return (
      tooLong('interactive.body.text', bodyText, limits.body) ??
      tooLong('interactive.footer.text', footer, limits.footer, false) ??
      tooLong('interactive.action.button', action.button, limits.button) ??
      checkSections(action.sections)
    );
  }
  if (payload.type === 'button') {
    const limits = metaLimits.buttons;
    return (
      tooLong('interactive.body.text', bodyText, limits.body) ??
      tooLong('interactive.footer.text', footer, limits.footer, false) ??
      checkButtons(action.buttons)
    );
  }
  return metaErrors.parameterValueInvalid(`Unsupported interactive type "${String(payload.type)}"`);
}

function checkSections(sections: unknown): MetaError | undefined {
  const limits = metaLimits.list;
  if (!Array.isArray(sections) || sections.length === 0)
    return metaErrors.requiredParameterMissing('action.sections is required');
  if (sections.length > limits.sections)
    return metaErrors.parameterValueInvalid(`Too many sections: maximum ${limits.sections}`);
  const rows = sections.flatMap((section) =>
    isObject(section) && Array.isArray(section.rows) ? section.rows : [],
  );
  if (rows.length === 0 || rows.length > limits.rowsTotal) {
    return metaErrors.parameterValueInvalid(
      `A list needs 1 to ${limits.rowsTotal} rows in total, got ${rows.length}`,
    );
  }
  if (sections.length > 1) {
    for (const section of sections) {
      const problem = tooLong(
        'section.title',
        isObject(section) ? section.title : undefined,
        limits.sectionTitle,
      );
      if (problem) return problem;
    }
  }
  const ids = new Set<string>();
  for (const row of rows) {
    if (!isObject(row)) return metaErrors.parameterValueInvalid('Each row must be an object');
    const problem =
      tooLong('row.id', row.id, limits.rowId) ??
      tooLong('row.title', row.title, limits.rowTitle) ??
      tooLong('row.description', row.description, limits.rowDescription, false);
    if (problem) return problem;
    if (ids.has(String(row.id)))
      return metaErrors.parameterValueInvalid(`Duplicate row id "${String(row.id)}"`);
    ids.add(String(row.id));
  }
  return undefined;
}

function checkButtons(buttons: unknown): MetaError | undefined {
  const limits = metaLimits.buttons;
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > limits.count) {
    return metaErrors.parameterValueInvalid(`Reply buttons need 1 to ${limits.count} buttons`);
  }
  const titles = new Set<string>();
  for (const button of buttons) {
    const reply = isObject(button) && isObject(button.reply) ? button.reply : undefined;
    if (!reply) return metaErrors.requiredParameterMissing('button.reply is required');
    const problem =
      tooLong('button.reply.id', reply.id, limits.id) ??
      tooLong('button.reply.title', reply.title, limits.title);
    if (problem) return problem;
    if (titles.has(String(reply.title)))
      return metaErrors.parameterValueInvalid('Button titles must be unique');
    titles.add(String(reply.title));
  }
  return undefined;
}

function checkTemplate(payload: Json): MetaError | undefined {
  if (!text(payload.name)) return metaErrors.requiredParameterMissing('template.name is required');
  const language = isObject(payload.language) ? text(payload.language.code) : undefined;
  if (!language) return metaErrors.requiredParameterMissing('template.language.code is required');
  if (payload.components !== undefined && !Array.isArray(payload.components)) {
    return metaErrors.parameterValueInvalid('template.components must be an array');
  }
  return undefined;
}
