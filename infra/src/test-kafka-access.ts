import type { Consumer } from 'kafkajs';

/**
 * For tests of who may read and write what (issue 24): what an attempt ended with, as one line — `allowed`, or the
 * error's kafkajs type and message (a refusal reads `TOPIC_AUTHORIZATION_FAILED …`, or only the broker's message
 * `Not authorized to access topics` when kafkajs wraps it after retries).
 */
export async function outcomeOf(attempt: () => Promise<unknown>): Promise<string> {
  try {
    await attempt();
    return 'allowed';
  } catch (error) {
    const seen = error as { type?: string; name?: string; message?: string };
    return `${seen.type ?? seen.name ?? ''} ${seen.message ?? ''}`;
  }
}

/**
 * Joins the consumer's group on `topic` and leaves again: resolves once the group assigned it, rejects with the
 * broker's refusal (a topic or a group the principal may not use). Disconnects either way.
 */
export async function joinOnce(consumer: Consumer, topic: string): Promise<void> {
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer.run({ eachMessage: async () => undefined }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
