import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { metaMediaTypes } from '@wa-broker/shared/meta-media-types';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import type { MessageStore, PushedReplies } from './ports.js';

/** The `-out` kinds an operator sends from the UI; read receipts, reactions and handovers are not bubbles. */
const operatorReplyTypes: ReadonlySet<AgentOutboundMessage['message_type']> = new Set([
  'text',
  'list',
  'buttons',
  'template',
  ...metaMediaTypes,
]);

export type RelayDecision =
  | { kind: 'push'; message: OperatorMessage }
  | { kind: 'skip'; reason: 'not_a_reply' | 'already_pushed' | 'not_stored' };

/**
 * Decides whether a record read back from the agent's own `-out` topic is a reply this instance's operators
 * have not seen yet (sent by an operator on another instance). The bubble comes from MongoDB, where the
 * originating instance stored it `pending` before publishing, so it is the same bubble its own operators got.
 */
export async function relayReply(
  deps: { messages: MessageStore; pushed: PushedReplies },
  outbound: AgentOutboundMessage,
): Promise<RelayDecision> {
  const id = outbound.idempotency_key;
  if (!id || !operatorReplyTypes.has(outbound.message_type)) return { kind: 'skip', reason: 'not_a_reply' };
  if (await deps.pushed.has(id)) return { kind: 'skip', reason: 'already_pushed' };
  const message = await deps.messages.get(id);
  if (message?.direction !== 'out') return { kind: 'skip', reason: 'not_stored' };
  await deps.pushed.add(id);
  return { kind: 'push', message };
}
