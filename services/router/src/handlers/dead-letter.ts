import { type DeadLetterInput, deadLetterKey, toDeadLetter } from '@wa-broker/shared/dead-letter';
import type { OutRecord } from '../domain/ports.js';

/**
 * A record for `router-dead-letter`: every writer goes through here, so the topic only ever carries the one
 * shared, zod-checked shape (`@wa-broker/shared/dead-letter`: source coordinates, reason code, raw bytes).
 */
export function deadLetterRecord(topic: string, input: DeadLetterInput): OutRecord {
  const value = toDeadLetter(input);
  return { topic, key: deadLetterKey(value), value };
}
