import { encodeJson } from '@wa-broker/shared/kafka';
import {
  type TemplateChangeEvent,
  templateChangeEvent,
  templateKey,
} from '@wa-broker/shared/message-templates';
import type { Producer } from 'kafkajs';
import type { TemplateChangePublisher } from '../domain/ports.js';

/** Events per Kafka request: about 100–300 KB with Meta's largest components. */
const publishSlice = 100;

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
      // acks=-1: an event the senders may miss is not "published". In slices: a WABA's full listing (thousands of
      // templates with their components) in one request could pass the broker's message.max.bytes.
      for (let start = 0; start < messages.length; start += publishSlice)
        await producer.send({ topic, acks: -1, messages: messages.slice(start, start + publishSlice) });
    },
  };
}
