import type { AgentOutboundMessage, ListRow } from './agent-outbound.js';
import { DomainError } from './errors.js';
import { metaLimits } from './meta-limits.js';
import type { MetaMediaType } from './meta-media-types.js';

/**
 * Why a `-out` message breaks Meta's rules, with the field at fault. The router answers it as `invalid_message`
 * on `-error`; the SDK and the agent backend throw it before anything reaches Kafka; the operator UI shows it.
 */
export class OutboundValidationError extends DomainError<'invalid_message'> {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super('invalid_message', message, { field });
    this.name = 'OutboundValidationError';
  }
}

/** The Go original's list body text, used for messages without `v` and lists without `text`. */
export const defaultListBody = 'Choose an option:';

/** Counts code points, as Meta does, so an emoji counts once (a UTF-16 length would count it twice). */
export const charCount = (text: string): number => Array.from(text).length;

/** The body text a list is sent with: the original's messages (no `v`) always get the default. */
export function listBodyText(message: AgentOutboundMessage): string {
  return message.v === undefined ? defaultListBody : (message.text ?? defaultListBody);
}

/** A list's sections: `list_sections`, or the original's single `list_body` + `list_items`. */
export function listSectionsOf(message: AgentOutboundMessage): { title: string; rows: ListRow[] }[] {
  return (
    message.list_sections ?? [
      { title: nonEmpty(message.list_body, 'list_body'), rows: message.list_items ?? [] },
    ]
  );
}

/**
 * Meta's limits for one `-out` message (docs/whatsapp-cloud-api.md §5), the single copy every side runs.
 * Throws {@link OutboundValidationError} on the first problem. Assumes the message already passed the
 * `agentOutboundMessage` schema (shape and types).
 */
export function assertOutboundRules(message: AgentOutboundMessage): void {
  switch (message.message_type) {
    case 'text':
      limited(nonEmpty(message.text, 'text'), metaLimits.textBody, 'text');
      return;
    case 'list':
      checkList(message);
      return;
    case 'buttons':
      checkButtons(message);
      return;
    case 'template':
      if (!message.template) fail('template is required', 'template');
      return;
    case 'mark_as_read':
    case 'reaction':
      nonEmpty(message.context_message_id, 'context_message_id');
      return;
    case 'transfer':
      nonEmpty(message.transfer_to, 'transfer_to');
      return;
    case 'end_session':
      return;
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      checkMedia(message.message_type, message);
      return;
  }
}

/** Meta's media send (§5, §8): by id or link, a caption only where Meta shows one, a filename on documents. */
function checkMedia(type: MetaMediaType, message: AgentOutboundMessage): void {
  const media = message.media;
  if (!media) fail(`${type} needs media ({ id } from the media upload, or { link })`, 'media');
  if (Boolean(media.id) === Boolean(media.link)) fail('media needs exactly one of id and link', 'media.id');
  if (media.caption !== undefined) {
    if (!captioned.has(type)) fail(`${type} cannot have a caption`, 'media.caption');
    limited(media.caption, metaLimits.mediaCaption, 'media.caption');
  }
  if (media.filename !== undefined && type !== 'document')
    fail('only a document has a filename', 'media.filename');
  if (media.voice !== undefined && type !== 'audio') fail('only audio can be a voice note', 'media.voice');
}

const captioned: ReadonlySet<MetaMediaType> = new Set(['image', 'video', 'document']);

function checkList(message: AgentOutboundMessage): void {
  const limits = metaLimits.list;
  limited(nonEmpty(message.list_title, 'list_title'), limits.button, 'list_title');
  limited(nonEmpty(listBodyText(message), 'text'), limits.body, 'text');
  optional(message.header, limits.header, 'header');
  optional(message.footer, limits.footer, 'footer');
  const sections = listSectionsOf(message);
  if (sections.length < 1 || sections.length > limits.sections)
    fail(`a list needs 1 to ${limits.sections} sections, got ${sections.length}`, 'list_sections');
  const rows = sections.flatMap((section, s) => {
    limited(section.title, limits.sectionTitle, `section ${s + 1} title`);
    section.rows.forEach((row, r) => {
      checkRow(row, `section ${s + 1} row ${r + 1}`);
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

function checkRow(row: ListRow, where: string): void {
  const limits = metaLimits.list;
  limited(nonEmpty(row.id, `${where} id`), limits.rowId, `${where} id`);
  limited(nonEmpty(row.title, `${where} title`), limits.rowTitle, `${where} title`);
  optional(row.description, limits.rowDescription, `${where} description`);
}

function checkButtons(message: AgentOutboundMessage): void {
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
