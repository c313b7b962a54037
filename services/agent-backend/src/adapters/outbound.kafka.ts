import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { encodeJson } from '@wa-broker/shared/kafka';
import type { Producer } from 'kafkajs';
import type { OutboundPort } from '../domain/ports.js';

/** Publishes replies on the agent's `-out` topic, keyed by the user so the router keeps their order. */
export function outboundKafka(producer: Producer, topic: string): OutboundPort {
  return {
    async publish(message: AgentOutboundMessage) {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: message.waID,
            value: encodeJson(message),
            headers: message.idempotency_key ? { 'idempotency-key': message.idempotency_key } : {},
          },
        ],
      });
    },
  };
}
