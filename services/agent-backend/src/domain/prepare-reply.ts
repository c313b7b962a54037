import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { DomainError } from '@wa-broker/shared/errors';
import type { OperatorMessage, OperatorReply } from '@wa-broker/shared/operator-protocol';
import { isWindowOpen } from './window.js';

export interface ReplyRequest {
  waID: string;
  idempotencyKey: string;
  reply: OperatorReply;
  contextMessageId?: string;
}

export interface PreparedReply {
  outbound: AgentOutboundMessage;
  message: OperatorMessage;
}

/**
 * Turns an operator's reply into the `-out` message and the `pending` bubble stored for it. Outside the 24 h
 * window only templates may go (Meta answers 131047 otherwise), so other kinds are refused here, before Kafka.
 */
export function prepareReply(
  request: ReplyRequest,
  windowExpiresAt: string | null,
  now: Date,
): PreparedReply {
  const { reply } = request;
  if (reply.kind !== 'template' && !isWindowOpen(windowExpiresAt, now))
    throw new DomainError(
      'window_closed',
      'The 24-hour window is closed: only a template can be sent until the user writes again.',
    );
  const outbound: AgentOutboundMessage = {
    v: 1,
    waID: request.waID,
    idempotency_key: request.idempotencyKey,
    ...outboundBody(reply),
    ...(request.contextMessageId ? { context_message_id: request.contextMessageId } : {}),
  };
  const message: OperatorMessage = {
    id: request.idempotencyKey,
    wa_id: request.waID,
    direction: 'out',
    type: reply.kind,
    text: reply.kind === 'text' ? reply.text : reply.kind === 'template' ? reply.name : reply.body,
    timestamp: now.toISOString(),
    status: 'pending',
    outbound: reply,
    ...(request.contextMessageId ? { context_message_id: request.contextMessageId } : {}),
  };
  return { outbound, message };
}

function outboundBody(reply: OperatorReply): Omit<AgentOutboundMessage, 'waID'> {
  switch (reply.kind) {
    case 'text':
      return { message_type: 'text', text: reply.text };
    case 'list': {
      const [only, ...others] = reply.sections;
      // The original's single-section shape (list_body = section title) where it fits; sections otherwise.
      const rows = only && others.length === 0 ? { list_body: only.title, list_items: only.rows } : {};
      return {
        message_type: 'list',
        text: reply.body,
        list_title: reply.button,
        ...(only && others.length === 0 ? rows : { list_sections: reply.sections }),
        ...(reply.header ? { header: reply.header } : {}),
        ...(reply.footer ? { footer: reply.footer } : {}),
      };
    }
    case 'buttons':
      return {
        message_type: 'buttons',
        text: reply.body,
        buttons: reply.buttons,
        ...(reply.header ? { header: reply.header } : {}),
        ...(reply.footer ? { footer: reply.footer } : {}),
      };
    case 'template':
      return {
        message_type: 'template',
        template: {
          name: reply.name,
          language: reply.language,
          ...(reply.body_parameters.length > 0
            ? {
                components: [
                  { type: 'body', parameters: reply.body_parameters.map((text) => ({ type: 'text', text })) },
                ],
              }
            : {}),
        },
      };
  }
}
