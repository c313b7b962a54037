import type { AgentInboundEvent, IdentityChangeReason } from '@wa-broker/shared/agent-inbound';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { describeMetaError } from './error-text.js';
import type { ConversationTouch, EventPlan } from './events.js';

const sessionText: Record<string, string> = {
  menu_choice: 'The user chose this agent from the menu.',
  transfer: 'The conversation was transferred to this agent.',
  user_exit: 'The user left the conversation.',
  agent_ended: 'The conversation was ended by the agent.',
  agent_removed: 'The agent was removed; the conversation ended.',
  expired: 'The session expired.',
};

const identityText: Record<IdentityChangeReason, string> = {
  user_changed_number: 'The user changed their WhatsApp number; the conversation continues.',
  user_changed_user_id: 'The user’s WhatsApp id changed; the conversation continues.',
  user_id_learnt:
    'WhatsApp now identifies this user by their business-scoped id; the conversation continues.',
};

/** Decides what one `<agent>-in` event changes: no I/O, the same answer on every redelivery. */
export function planInbound(event: AgentInboundEvent): EventPlan {
  const conversation: ConversationTouch = {
    wa_id: event.waID,
    window_expires_at: event.window_expires_at,
    ...(event.user.name ? { name: event.user.name } : {}),
    ...(event.user.user_id ? { user_id: event.user.user_id } : {}),
    ...(event.user.username ? { username: event.user.username } : {}),
    ...(event.user.wa_id ? { phone: event.user.wa_id } : {}),
    ...(event.phone_number_id ? { phone_number_id: event.phone_number_id } : {}),
    ...(event.display_phone_number ? { display_phone_number: event.display_phone_number } : {}),
  };
  if (event.type === 'status') return planStatus(event, conversation);
  if (event.type === 'media_stored') return planMediaStored(event, conversation);
  if (event.type === 'identity_changed' && event.identity) {
    const from = event.identity.previous_waID;
    return {
      moved: { from, to: event.waID },
      conversation: { ...conversation, activity_at: event.timestamp },
      message: {
        id: event.event_id,
        wa_id: event.waID,
        direction: 'system',
        type: event.type,
        text: identityText[event.identity.reason],
        timestamp: event.timestamp,
      },
    };
  }
  if (event.type === 'session_started' || event.type === 'session_ended') {
    const state = event.type === 'session_started' ? 'open' : 'ended';
    const reason = event.session?.reason;
    return {
      conversation: {
        ...conversation,
        activity_at: event.timestamp,
        session: { state, at: event.timestamp },
      },
      message: {
        id: event.event_id,
        wa_id: event.waID,
        direction: 'system',
        type: event.type,
        text: (reason && sessionText[reason]) || (state === 'open' ? 'Session started.' : 'Session ended.'),
        timestamp: event.timestamp,
        ...(reason
          ? { session: { reason, ...(event.session?.note ? { note: event.session.note } : {}) } }
          : {}),
      },
    };
  }
  return {
    conversation: { ...conversation, activity_at: event.timestamp },
    message: inboundMessage(event),
  };
}

/** Not activity (the message was): the bubble gains the file's size, nothing else moves. */
function planMediaStored(event: AgentInboundEvent, conversation: ConversationTouch): EventPlan {
  const { media, wamid } = event;
  if (!media || !wamid || media.size === undefined) return { conversation };
  return {
    conversation,
    mediaStored: {
      wa_id: event.waID,
      wamid,
      media_id: media.id,
      size: media.size,
      ...(media.mime_type ? { mime_type: media.mime_type } : {}),
    },
  };
}

function planStatus(event: AgentInboundEvent, conversation: ConversationTouch): EventPlan {
  const status = event.status;
  if (!status) return { conversation };
  const failure = status.status === 'failed' ? status.errors?.[0] : undefined;
  return {
    conversation,
    status: {
      wa_id: event.waID,
      wamid: status.wamid,
      status: status.status,
      timestamp: event.timestamp,
      ...(status.idempotency_key ? { message_id: status.idempotency_key } : {}),
      ...(status.status === 'failed'
        ? {
            error: {
              code: 'delivery_failed',
              text: describeMetaError(failure),
              ...(failure ? { meta: failure } : {}),
            },
          }
        : {}),
    },
  };
}

/** What the business or Meta's agent did, not the user: shown as a line of the conversation, not a bubble. */
const notByTheUser = new Set<AgentInboundEvent['type']>(['echo', 'standby', 'handover']);

function inboundMessage(event: AgentInboundEvent): OperatorMessage {
  const message: OperatorMessage = {
    id: event.event_id,
    wa_id: event.waID,
    direction: notByTheUser.has(event.type) ? 'system' : 'in',
    type: event.type,
    text: previewText(event),
    timestamp: event.timestamp,
    seen: false,
  };
  if (event.wamid) message.wamid = event.wamid;
  if (event.reply) message.reply = event.reply;
  if (event.media) {
    const { id, path, mime_type, caption, filename, voice, animated } = event.media;
    message.media = { id, path, mime_type, caption, filename, voice, animated };
  }
  if (event.location) {
    const { latitude, longitude, name, address } = event.location;
    message.location = { latitude, longitude, name, address };
  }
  if (event.contacts) message.contacts = event.contacts;
  if (event.reaction) message.reaction = event.reaction;
  if (event.context) message.context_message_id = event.context.message_id;
  // An edit or a delete points at the message it changes, like a quote.
  if (event.original_message_id) message.context_message_id = event.original_message_id;
  return message;
}

function previewText(event: AgentInboundEvent): string {
  switch (event.type) {
    case 'list_reply':
    case 'button_reply':
      return event.reply?.title ?? event.text;
    case 'location':
      return event.location?.name ?? event.location?.address ?? 'Location';
    case 'reaction':
      return event.reaction?.emoji ? `Reacted ${event.reaction.emoji}` : 'Removed a reaction';
    case 'contacts':
      return 'Shared contacts';
    case 'edit':
      return `✏️ Edited: ${event.text}`;
    case 'revoke':
      return '🗑 The user deleted this message';
    case 'call':
      return callText(event.call);
    case 'echo':
      return `Sent from the WhatsApp Business app: ${event.text}`;
    case 'standby':
      return `Meta Business Agent conversation: ${event.text}`;
    case 'handover':
      return 'Control of the conversation changed';
    case 'unsupported':
      return 'A message type this inbox cannot show';
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      return event.media?.caption || event.text || event.type;
    default:
      return event.text;
  }
}

/** A call as the inbox shows it (meta-2026-changes.md §1.5): missed, ringing, accepted, or ended with its length. */
export function callText(call: AgentInboundEvent['call']): string {
  const status = call?.status?.toUpperCase();
  if (status === 'RINGING') return '📞 Ringing';
  if (status === 'ACCEPTED') return '📞 Call accepted';
  if (status === 'REJECTED' || status === 'FAILED') return '📞 Missed call';
  if (call?.event === 'connect') return '📞 Incoming call';
  if (status === 'COMPLETED' || call?.event === 'terminate') {
    const seconds = call?.duration;
    if (!seconds) return '📞 Missed call';
    const minutes = Math.floor(seconds / 60);
    return `📞 Call ended (${minutes > 0 ? `${minutes} min ` : ''}${Math.round(seconds % 60)} s)`;
  }
  return '📞 Call';
}
