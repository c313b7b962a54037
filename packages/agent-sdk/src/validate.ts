import {
  type AgentOutboundMessage,
  agentOutboundMessage,
  type ListRow,
} from '@wa-broker/shared/agent-outbound';
import { DomainError } from '@wa-broker/shared/errors';
import { metaLimits } from '@wa-broker/shared/meta-limits';

/** Thrown by a sender before anything is produced: the message would break the contract or Meta's limits. */
export class OutboundValidationError extends DomainError<'invalid_message'> {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super('invalid_message', message, { field });
    this.name = 'OutboundValidationError';
  }
}

/** Counts code points, as Meta does, so an emoji counts once. */
const charCount = (text: string): number => Array.from(text).length;

/**
 * Checks a `-out` message the way the router will (same `meta-limits`), so a mistake fails at the call site
 * instead of coming back later as an `invalid_message` on `-error`. Throws {@link OutboundValidationError}.
 */
export function validateOutbound(message: AgentOutboundMessage): void {
  const parsed = agentOutboundMessage.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OutboundValidationError(issue?.message ?? 'invalid message', issue?.path.join('.') ?? '');
  }
  switch (message.message_type) {
    case 'text':
      limited(nonEmpty(message.text, 'text'), metaLimits.textBody, 'text');
      break;
    case 'list':
      validateList(message);
      break;
    case 'buttons':
      validateButtons(message);
      break;
    case 'template':
      if (!message.template) fail('template is required', 'template');
      break;
    case 'mark_as_read':
    case 'reaction':
      nonEmpty(message.context_message_id, 'context_message_id');
      break;
    case 'transfer':
      nonEmpty(message.transfer_to, 'transfer_to');
      break;
    case 'end_session':
      break;
  }
}

function validateList(message: AgentOutboundMessage): void {
  const limits = metaLimits.list;
  limited(nonEmpty(message.list_title, 'list_title'), limits.button, 'list_title');
  if (message.text !== undefined) limited(nonEmpty(message.text, 'text'), limits.body, 'text');
  optional(message.header, limits.header, 'header');
  optional(message.footer, limits.footer, 'footer');
  const sections = message.list_sections ?? [
    { title: nonEmpty(message.list_body, 'list_body'), rows: message.list_items ?? [] },
  ];
  if (sections.length < 1 || sections.length > limits.sections)
    fail(`a list needs 1 to ${limits.sections} sections, got ${sections.length}`, 'list_sections');
  const rows = sections.flatMap((section, s) => {
    limited(section.title, limits.sectionTitle, `section ${s + 1} title`);
    section.rows.forEach((row, r) => {
      validateRow(row, `section ${s + 1} row ${r + 1}`);
    });
    return section.rows;
  });
  if (rows.length < 1 || rows.length > limits.rowsTotal)
    fail(`a list needs 1 to ${limits.rowsTotal} rows in all, got ${rows.length}`, 'list_items');
  unique(
    rows.map((row) => row.id),
    'list row id',
  );
}

function validateRow(row: ListRow, where: string): void {
  const limits = metaLimits.list;
  limited(nonEmpty(row.id, `${where} id`), limits.rowId, `${where} id`);
  limited(nonEmpty(row.title, `${where} title`), limits.rowTitle, `${where} title`);
  optional(row.description, limits.rowDescription, `${where} description`);
}

function validateButtons(message: AgentOutboundMessage): void {
  const limits = metaLimits.buttons;
  const buttons = message.buttons ?? [];
  if (buttons.length < 1 || buttons.length > limits.count)
    fail(`reply buttons need 1 to ${limits.count} buttons, got ${buttons.length}`, 'buttons');
  limited(nonEmpty(message.text, 'text'), limits.body, 'text');
  optional(message.header, limits.header, 'header');
  optional(message.footer, limits.footer, 'footer');
  buttons.forEach((button, i) => {
    limited(nonEmpty(button.id, `button ${i + 1} id`), limits.id, `button ${i + 1} id`);
    limited(nonEmpty(button.title, `button ${i + 1} title`), limits.title, `button ${i + 1} title`);
  });
  unique(
    buttons.map((b) => b.id),
    'button id',
  );
  unique(
    buttons.map((b) => b.title),
    'button title',
  );
}

function fail(message: string, field: string): never {
  throw new OutboundValidationError(message, field);
}

function nonEmpty(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') fail(`${field} is empty`, field);
  return value;
}

function limited(value: string, max: number, field: string): string {
  const length = charCount(value);
  if (length > max) fail(`${field} is ${length} characters; Meta allows ${max}`, field);
  return value;
}

function optional(value: string | undefined, max: number, field: string): void {
  if (value !== undefined) limited(value, max, field);
}

function unique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) fail(`${what} "${value}" is used twice`, what);
    seen.add(value);
  }
}
