import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { DomainError } from '@wa-broker/shared/errors';
import { mediaPath } from '@wa-broker/shared/media-access';
import {
  type OperatorConversation,
  type OperatorMessage,
  type OperatorReply,
  operatorReplyToOutbound,
} from '@wa-broker/shared/operator-protocol';
import { assertOutboundRules } from '@wa-broker/shared/outbound-rules';
import { isWindowOpen } from '@wa-broker/shared/reply-window';

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
 * Turns an operator's reply into the `-out` message and the `pending` bubble stored for it, refusing here,
 * before Kafka, what the router would refuse with the same shared rules: any reply once the session has ended
 * (`not_in_session`), a free-form reply outside the window less the reply margin (`window_closed`; Meta answers
 * 131047), and a message over Meta's limits (`invalid_message`).
 */
export function prepareReply(
  request: ReplyRequest,
  conversation: Pick<OperatorConversation, 'window_expires_at' | 'session' | 'phone_number_id'>,
  now: Date,
): PreparedReply {
  const { reply } = request;
  if (conversation.session === 'ended')
    throw new DomainError(
      'not_in_session',
      'The session has ended: the user has to choose this agent again before a reply can be sent.',
    );
  if (reply.kind !== 'template' && !isWindowOpen(conversation.window_expires_at, now))
    throw new DomainError(
      'window_closed',
      'The 24-hour window is closed: only a template can be sent until the user writes again.',
    );
  const outbound: AgentOutboundMessage = {
    v: 1,
    waID: request.waID,
    idempotency_key: request.idempotencyKey,
    // The cost report tells operators' messages from the agent's code (issue 19 §5).
    origin: 'operator',
    ...operatorReplyToOutbound(reply),
    ...(request.contextMessageId ? { context_message_id: request.contextMessageId } : {}),
  };
  assertOutboundRules(outbound);
  const message: OperatorMessage = {
    id: request.idempotencyKey,
    wa_id: request.waID,
    direction: 'out',
    type: reply.kind,
    text: previewOf(reply),
    timestamp: now.toISOString(),
    status: 'pending',
    outbound: reply,
    ...(reply.kind === 'media' ? { media: sentMedia(reply, conversation.phone_number_id) } : {}),
    ...(request.contextMessageId ? { context_message_id: request.contextMessageId } : {}),
  };
  return { outbound, message };
}

function previewOf(reply: OperatorReply): string {
  switch (reply.kind) {
    case 'text':
      return reply.text;
    case 'template':
      return reply.name;
    case 'media':
      return reply.caption ?? reply.filename ?? '';
    default:
      return reply.body;
  }
}

/** The bubble of a file the operator sent: the media service keeps the upload under the number it left from. */
function sentMedia(reply: Extract<OperatorReply, { kind: 'media' }>, phoneNumberId: string | undefined) {
  return {
    id: reply.id,
    ...(phoneNumberId ? { path: mediaPath(phoneNumberId, reply.id) } : {}),
    ...(reply.caption ? { caption: reply.caption } : {}),
    ...(reply.filename ? { filename: reply.filename } : {}),
    ...(reply.voice ? { voice: true } : {}),
  };
}
