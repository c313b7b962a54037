import type { IdempotentProducer } from '@wa-broker/shared/idempotent-producer';
import { encodeJson } from '@wa-broker/shared/kafka';
import type { AgentEvents } from '../domain/ports.js';

/** `media_stored` on the owning agent's `-in` topic, keyed by the user so it follows the media event. */
export function createKafkaAgentEvents(producer: IdempotentProducer): AgentEvents {
  return {
    async publish(topic, event) {
      await producer.send({ topic, acks: -1, messages: [{ key: event.waID, value: encodeJson(event) }] });
    },
  };
}
