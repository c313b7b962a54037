import { DomainError } from '@wa-broker/shared/errors';
import type { ClientFrame, ServerFrame } from '@wa-broker/shared/operator-protocol';
import type { InboxStores } from '../domain/inbox.js';
import { applyStatus, markConversationRead, recordReply } from '../domain/inbox.js';
import type { Actor, OutboundPort, PushedReplies, TemplateCatalog } from '../domain/ports.js';
import { prepareReply } from '../domain/prepare-reply.js';
import { type ReadReceiptResult, sendReadReceipt } from '../domain/read-receipt.js';
import { approvedTemplates, assertTemplateSendable } from '../domain/template-check.js';
import { answerTeamFrame, type TeamRequestDeps } from './team-requests.js';

export interface OperatorRequestDeps {
  stores: InboxStores;
  outbound: OutboundPort;
  /** Templates per WABA and the WABA of each number: the picker's list, and template replies checked. */
  templates: TemplateCatalog;
  agentName: string;
  now: () => Date;
  /** Tells every operator on this instance (a conversation was read elsewhere, a reply was sent). */
  broadcast: (frame: ServerFrame) => void;
  /** Replies pushed here; the `-out` relay skips them (the other instances push them from there). */
  pushed: PushedReplies;
  onReply: (result: 'accepted' | 'refused' | 'queue_failed') => void;
  onReadReceipt: (result: ReadReceiptResult) => void;
  /** Assignment, status, presence, notes, canned replies, search, typing. */
  team: TeamRequestDeps;
}

const defaultLimit = 50;

/**
 * How long a reply waits for its conversation to be stored. The live push and the Mongo store are two consumer
 * groups reading the same `-in` events: an operator can see a message (pushed) and answer it before the store
 * group wrote the conversation, which would refuse a reply to a conversation on screen.
 */
export const conversationStoreWaitMs = 3000;

/** The page a list request asks for: `limit` newest before `before`. */
function pageQuery(frame: { limit?: number | undefined; before?: string | undefined }) {
  return { limit: frame.limit ?? defaultLimit, before: frame.before };
}

/** Answers one valid client frame; a DomainError becomes an `error` frame at the socket. */
export async function answerFrame(
  deps: OperatorRequestDeps,
  named: ClientFrame,
  actor: Actor,
): Promise<ServerFrame> {
  // A conversation named by a phone or a key it had before an identity change is found under its key.
  const frame =
    'wa_id' in named && named.wa_id
      ? { ...named, wa_id: await deps.stores.conversations.findKey(named.wa_id) }
      : named;
  const base = { v: 1 as const, ...(frame.request_id ? { request_id: frame.request_id } : {}) };
  switch (frame.type) {
    case 'ping':
      return { ...base, type: 'pong' };
    case 'list_conversations': {
      const assignee =
        frame.assignee === 'me' ? actor.id : frame.assignee === 'unassigned' ? null : frame.assignee;
      const filter = {
        ...(assignee !== undefined ? { assignee } : {}),
        ...(frame.status ? { status: frame.status } : {}),
      };
      const { conversations, nextBefore } = await deps.stores.conversations.list(pageQuery(frame), filter);
      return { ...base, type: 'conversations', conversations, next_before: nextBefore };
    }
    case 'get_history': {
      const { messages, nextBefore } = await deps.stores.messages.history(frame.wa_id, pageQuery(frame));
      return { ...base, type: 'history', wa_id: frame.wa_id, messages, next_before: nextBefore };
    }
    case 'mark_read': {
      await markConversationRead(deps.stores, frame.wa_id);
      // A receipt that cannot be queued is counted, not shown: the operator's read state is saved either way.
      const receipt = { messages: deps.stores.messages, outbound: deps.outbound };
      deps.onReadReceipt(await sendReadReceipt(receipt, frame.wa_id, deps.now()));
      deps.broadcast({ v: 1, type: 'read_marked', wa_id: frame.wa_id });
      return { ...base, type: 'read_marked', wa_id: frame.wa_id };
    }
    case 'send_reply':
      return { ...base, type: 'reply_accepted', message: await sendReply(deps, frame) };
    case 'list_templates': {
      let phoneNumberId = frame.phone_number_id;
      if (frame.wa_id) {
        const conversation = await storedConversation(deps.stores, frame.wa_id);
        if (!conversation) throw new DomainError('not_found', `No conversation with ${frame.wa_id}.`);
        phoneNumberId = conversation.phone_number_id;
      }
      const { wabaId, templates } = approvedTemplates(deps.templates, phoneNumberId);
      return {
        ...base,
        type: 'templates',
        ...(frame.wa_id ? { wa_id: frame.wa_id } : {}),
        phone_number_id: phoneNumberId ?? null,
        waba_id: wabaId,
        templates,
      };
    }
    default:
      return answerTeamFrame(deps.team, frame, actor);
  }
}

async function sendReply(deps: OperatorRequestDeps, frame: Extract<ClientFrame, { type: 'send_reply' }>) {
  const conversation = await storedConversation(deps.stores, frame.wa_id);
  if (!conversation) throw new DomainError('not_found', `No conversation with ${frame.wa_id}.`);
  let prepared: ReturnType<typeof prepareReply>;
  try {
    prepared = prepareReply(
      {
        waID: frame.wa_id,
        idempotencyKey: frame.idempotency_key,
        reply: frame.reply,
        ...(frame.context_message_id ? { contextMessageId: frame.context_message_id } : {}),
      },
      conversation,
      deps.now(),
    );
    // Before anything is stored or published: a template Meta would refuse never leaves.
    if (frame.reply.kind === 'template')
      assertTemplateSendable(frame.reply, deps.templates, conversation.phone_number_id);
  } catch (error) {
    deps.onReply('refused');
    throw error;
  }
  await recordReply(deps.stores, prepared.message);
  // Before publishing: this instance's own push agent may read the record back at once.
  await deps.pushed.add(prepared.message.id);
  try {
    await deps.outbound.publish(prepared.outbound);
  } catch {
    const error = { code: 'queue_failed', text: 'The reply could not be queued for sending. Try again.' };
    await applyStatus(deps.stores, {
      wa_id: frame.wa_id,
      message_id: prepared.message.id,
      status: 'failed',
      error,
      timestamp: deps.now().toISOString(),
    });
    deps.onReply('queue_failed');
    throw new DomainError('queue_failed', error.text);
  }
  deps.onReply('accepted');
  // The other operators on this instance see it now; those on other instances through the `-out` relay.
  deps.broadcast({ v: 1, type: 'message', message: prepared.message });
  return prepared.message;
}

/** The conversation, once the store group has written it (see `conversationStoreWaitMs`); null if it never is. */
async function storedConversation(stores: InboxStores, waID: string) {
  const deadline = Date.now() + conversationStoreWaitMs;
  for (;;) {
    const conversation = await stores.conversations.get(waID);
    if (conversation || Date.now() >= deadline) return conversation;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
