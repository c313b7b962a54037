import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import {
  assertOutboundRules,
  listBodyText,
  listSectionsOf,
  OutboundValidationError,
} from '@wa-broker/shared/outbound-rules';
import type { GraphMedia, GraphMessage, ListSectionBody, MessageContext } from './graph-message.js';

/**
 * Turns an agent's message into a Graph API body. Meta's limits are checked first by the shared rules (the
 * same ones the SDK, the agent backend and the operator UI run), so the agent gets a clear reason instead of
 * Meta's error. Throws {@link OutboundValidationError}. Control messages are not sendable.
 */
export function toGraphMessage(message: AgentOutboundMessage): GraphMessage {
  assertOutboundRules(message);
  switch (message.message_type) {
    case 'text':
      return withContext(message, { type: 'text', text: { body: message.text ?? '' } });
    case 'list':
      return withContext(message, listMessage(message));
    case 'buttons':
      return withContext(message, buttonsMessage(message));
    case 'template':
      return withContext(message, templateMessage(message));
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      return withContext(message, mediaMessage(message.message_type, message));
    case 'mark_as_read':
      return {
        type: 'mark_as_read',
        message_id: message.context_message_id ?? '',
        ...(message.typing_indicator ? { typing_indicator: true } : {}),
      };
    case 'reaction':
      return {
        type: 'reaction',
        reaction: { message_id: message.context_message_id ?? '', emoji: message.emoji ?? '' },
      };
    default:
      throw new OutboundValidationError(
        `message_type ${message.message_type} is a control message, not a send`,
        'message_type',
      );
  }
}

function listMessage(message: AgentOutboundMessage): GraphMessage {
  const sections: ListSectionBody[] = listSectionsOf(message).map((section) => ({
    title: section.title,
    rows: section.rows.map((row) => ({
      id: row.id,
      title: row.title,
      ...(row.description ? { description: row.description } : {}),
    })),
  }));
  return {
    type: 'interactive',
    interactive: {
      type: 'list',
      ...header(message.header),
      body: { text: listBodyText(message) },
      ...footer(message.footer),
      action: { button: message.list_title ?? '', sections },
    },
  };
}

function buttonsMessage(message: AgentOutboundMessage): GraphMessage {
  return {
    type: 'interactive',
    interactive: {
      type: 'button',
      ...header(message.header),
      body: { text: message.text ?? '' },
      ...footer(message.footer),
      action: {
        buttons: (message.buttons ?? []).map((b) => ({
          type: 'reply' as const,
          reply: { id: b.id, title: b.title },
        })),
      },
    },
  };
}

function templateMessage(message: AgentOutboundMessage): GraphMessage {
  const template = message.template;
  if (!template) throw new OutboundValidationError('template is required', 'template');
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { policy: 'deterministic', code: template.language },
      ...(template.components ? { components: template.components } : {}),
    },
  };
}

function mediaMessage(type: MetaMediaType, message: AgentOutboundMessage): GraphMessage {
  // assertOutboundRules checked which fields this type may carry; only those set are sent.
  const media: GraphMedia = Object.fromEntries(
    Object.entries(message.media ?? {}).filter(([, value]) => value !== undefined),
  );
  return { type, [type]: media } as unknown as GraphMessage;
}

function withContext<T extends GraphMessage>(message: AgentOutboundMessage, body: T): T {
  if (!message.context_message_id) return body;
  const context: MessageContext = { message_id: message.context_message_id };
  return { ...body, context };
}

const header = (text: string | undefined) => (text ? { header: { type: 'text' as const, text } } : {});
const footer = (text: string | undefined) => (text ? { footer: { text } } : {});
