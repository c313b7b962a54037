import { idempotencyKeyOf, type Sender } from '@wa-broker/agent-sdk';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import type { OutboundPort } from '../domain/ports.js';

/**
 * Publishes replies on the agent's `-out` topic through the SDK (checked against Meta's limits, keyed by the
 * user). The operator's message id stays the idempotency key, so a resent reply is sent at most once.
 */
export function outboundSdk(sender: Sender): OutboundPort {
  return {
    async publish(message: AgentOutboundMessage) {
      const { v: _v, waID, idempotency_key, ...body } = message;
      await sender.message(waID, body, idempotency_key ? { idempotencyKey: idempotency_key } : {});
    },
    // `read:<wamid>`: the router sends each key once, so a receipt repeated after a crash is not sent twice.
    async markAsRead(waId, wamid) {
      await sender.markAsRead(waId, wamid, { idempotencyKey: readReceiptKey(wamid) });
    },
    // A key per indicator: the router would send a repeated key only once, and each one is a new "typing…".
    async typing(waId, wamid, at) {
      await sender.typing(waId, wamid, {
        idempotencyKey: idempotencyKeyOf('typing', wamid, String(at.getTime())),
      });
    },
  };
}

/** The idempotency key of the read receipt for one inbound message (hashed past the contract's 200 characters). */
export const readReceiptKey = (wamid: string): string => idempotencyKeyOf('read', wamid);
