import type { AgentOutboundMessage, ListRow } from '@wa-broker/shared/agent-outbound';
import { DomainError } from '@wa-broker/shared/errors';
import { metaLimits } from '@wa-broker/shared/meta-limits';
import type { GraphMessage, ListSectionBody, MessageContext } from './graph-message.js';
import { charCount } from './text.js';

/** The original's list body text, used for messages without `v` and lists without `text`. */
export const defaultListBody = 'Choose an option:';

export class InvalidMessageError extends DomainError<'invalid_message'> {
  constructor(message: string) {
    super('invalid_message', message);
  }
}

/**
 * Turns an agent's message into a Graph API body, checking Meta's limits first so the agent gets a clear
 * reason instead of Meta's error. Throws {@link InvalidMessageError}. Control messages are not sendable.
 */
export function toGraphMessage(message: AgentOutboundMessage): GraphMessage {
  switch (message.message_type) {
    case 'text':
      return withContext(message, { type: 'text', text: { body: textBody(message.text) } });
    case 'list':
      return withContext(message, listMessage(message));
    case 'buttons':
      return withContext(message, buttonsMessage(message));
    case 'template':
      return withContext(message, templateMessage(message));
    case 'mark_as_read':
      return { type: 'mark_as_read', message_id: required(message.context_message_id, 'context_message_id') };
    case 'reaction':
      return {
        type: 'reaction',
        reaction: {
          message_id: required(message.context_message_id, 'context_message_id'),
          emoji: message.emoji ?? '',
        },
      };
    default:
      throw new InvalidMessageError(`message_type ${message.message_type} is a control message, not a send`);
  }
}

function textBody(text: string | undefined): string {
  const body = required(text, 'text');
  if (body.trim() === '') throw new InvalidMessageError('text is empty');
  return limit(body, metaLimits.textBody, 'text');
}

function listMessage(message: AgentOutboundMessage): GraphMessage {
  const limits = metaLimits.list;
  const sections = listSections(message);
  const rows = sections.flatMap((section) => section.rows);
  if (sections.length < 1 || sections.length > limits.sections)
    throw new InvalidMessageError(`a list needs 1 to ${limits.sections} sections, got ${sections.length}`);
  if (rows.length < 1 || rows.length > limits.rowsTotal)
    throw new InvalidMessageError(`a list needs 1 to ${limits.rowsTotal} rows in all, got ${rows.length}`);
  assertUnique(
    rows.map((row) => row.id),
    'list row id',
  );
  const body = message.v === undefined ? defaultListBody : (message.text ?? defaultListBody);
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      ...header(message.header, limits.header),
      body: { text: limit(body, limits.body, 'text') },
      ...footer(message.footer, limits.footer),
      action: {
        button: limit(required(message.list_title, 'list_title'), limits.button, 'list_title'),
        sections,
      },
    },
  };
}

function listSections(message: AgentOutboundMessage): ListSectionBody[] {
  const limits = metaLimits.list;
  const sections = message.list_sections ?? [
    { title: required(message.list_body, 'list_body'), rows: message.list_items ?? [] },
  ];
  return sections.map((section, s) => ({
    title: limit(section.title, limits.sectionTitle, `section ${s + 1} title`),
    rows: section.rows.map((row, r) => listRow(row, `section ${s + 1} row ${r + 1}`)),
  }));
}

function listRow(row: ListRow, where: string) {
  const limits = metaLimits.list;
  const result: ListSectionBody['rows'][number] = {
    id: limit(nonEmpty(row.id, `${where} id`), limits.rowId, `${where} id`),
    title: limit(nonEmpty(row.title, `${where} title`), limits.rowTitle, `${where} title`),
  };
  if (row.description)
    result.description = limit(row.description, limits.rowDescription, `${where} description`);
  return result;
}

function buttonsMessage(message: AgentOutboundMessage): GraphMessage {
  const limits = metaLimits.buttons;
  const buttons = message.buttons ?? [];
  if (buttons.length < 1 || buttons.length > limits.count)
    throw new InvalidMessageError(`reply buttons need 1 to ${limits.count} buttons, got ${buttons.length}`);
  assertUnique(
    buttons.map((b) => b.id),
    'button id',
  );
  assertUnique(
    buttons.map((b) => b.title),
    'button title',
  );
  return {
    type: 'interactive',
    interactive: {
      type: 'button',
      ...header(message.header, limits.header),
      body: { text: limit(nonEmpty(message.text, 'text'), limits.body, 'text') },
      ...footer(message.footer, limits.footer),
      action: {
        buttons: buttons.map((b, i) => ({
          type: 'reply' as const,
          reply: {
            id: limit(nonEmpty(b.id, `button ${i + 1} id`), limits.id, `button ${i + 1} id`),
            title: limit(nonEmpty(b.title, `button ${i + 1} title`), limits.title, `button ${i + 1} title`),
          },
        })),
      },
    },
  };
}

function templateMessage(message: AgentOutboundMessage): GraphMessage {
  const template = message.template;
  if (!template) throw new InvalidMessageError('template is required for message_type template');
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { policy: 'deterministic', code: template.language },
      ...(template.components ? { components: template.components } : {}),
    },
  };
}

function withContext<T extends GraphMessage>(message: AgentOutboundMessage, body: T): T {
  if (!message.context_message_id) return body;
  const context: MessageContext = { message_id: message.context_message_id };
  return { ...body, context };
}

function header(text: string | undefined, max: number) {
  return text ? { header: { type: 'text' as const, text: limit(text, max, 'header') } } : {};
}

function footer(text: string | undefined, max: number) {
  return text ? { footer: { text: limit(text, max, 'footer') } } : {};
}

function required(value: string | undefined, field: string): string {
  if (value === undefined) throw new InvalidMessageError(`${field} is required`);
  return value;
}

function nonEmpty(value: string | undefined, field: string): string {
  if (!value || value.trim() === '') throw new InvalidMessageError(`${field} is empty`);
  return value;
}

function limit(value: string, max: number, field: string): string {
  const length = charCount(value);
  if (length > max) throw new InvalidMessageError(`${field} is ${length} characters; Meta allows ${max}`);
  return value;
}

function assertUnique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new InvalidMessageError(`${what} "${value}" is used twice`);
    seen.add(value);
  }
}
