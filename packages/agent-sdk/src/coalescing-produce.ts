import type { Message } from 'kafkajs';

/** The most records one request carries (replies are small: well under kafkajs' and Kafka's request limits). */
const maxBatch = 500;

/**
 * Produces records in the order they are given with one request in flight at a time, as few requests as
 * possible: records given while a request is in flight wait and go together in the next one, and each caller's
 * promise settles with its own request (a failed request fails the records it carried, not the others). At
 * low rates a record goes at once, alone; at hundreds a second, an agent's replies cost one round trip per batch
 * instead of one each, where one request at a time (so a retried request cannot overtake a later one) had
 * capped an agent at one record per round trip.
 */
export function coalescingProducer(
  send: (messages: Message[]) => Promise<unknown>,
): (message: Message) => Promise<void> {
  let waiting: { message: Message; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let sending = false;
  const drain = async () => {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        await send(batch.map((entry) => entry.message));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    sending = false;
  };
  return (message) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ message, resolve, reject });
      if (!sending) void drain();
    });
}
