import { encodeJson } from '@wa-broker/shared/kafka';
import {
  type TemplateChangeEvent,
  templateChangeEvent,
  templateKey,
} from '@wa-broker/shared/message-templates';
import type { Producer } from 'kafkajs';
import type { TemplateChangePublisher } from '../domain/ports.js';

/**
 * Template changes on their compacted topic (created by `ensureChangesTopic`), keyed by `templateKey`
 * (`waba:name:language`), the template's full state each time. Sent with the admin's idempotent producer.
 */
export function createTemplateChangePublisher(producer: Producer, topic: string): TemplateChangePublisher {
  return {
    async publish(changes, now) {
      if (changes.length === 0) return;
      const messages = changes.map(({ type, template }) => {
        const event: TemplateChangeEvent = templateChangeEvent.parse({
          v: 1,
          type,
          template,
          published_at: now.toISOString(),
        });
        return { key: templateKey(template), value: encodeJson(event) };
      });
      // acks=-1: an event the senders may miss is not "published".
      await producer.send({ topic, acks: -1, messages });
    },
  };
}
