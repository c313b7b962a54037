import { type NumberChangeEvent, numberChangeEvent } from '@wa-broker/shared/business-numbers';
import { encodeJson } from '@wa-broker/shared/kafka';
import type { Producer } from 'kafkajs';
import { toNumberRecord } from '../domain/number-record.js';
import type { NumberChangePublisher } from '../domain/ports.js';

/**
 * Number changes on their compacted topic (created by `ensureChangesTopic`), keyed by `phone_number_id`. The
 * event carries the token sealed or named, as the record holds it: never the plain token.
 */
export function createNumberChangePublisher(producer: Producer, topic: string): NumberChangePublisher {
  return {
    async publish(changes, now) {
      if (changes.length === 0) return;
      const messages = changes.map(({ type, number }) => {
        const event: NumberChangeEvent = numberChangeEvent.parse({
          v: 1,
          type,
          number: toNumberRecord(number),
          published_at: now.toISOString(),
        });
        return { key: number.phoneNumberId, value: encodeJson(event) };
      });
      // acks=-1: an event the router may miss is not "published".
      await producer.send({ topic, acks: -1, messages });
    },
  };
}
