import { decodeJson, encodeJson } from '@wa-broker/shared/kafka';
import type { Consumer, Producer } from 'kafkajs';
import type { CommandJob } from '../domain/command-token.js';

/** Puts a signed job on the bot's command topic, keyed by the user so one user's commands keep their order. */
export function commandQueue(producer: Producer, topic: string) {
  return async (job: CommandJob): Promise<void> => {
    await producer.send({ topic, acks: -1, messages: [{ key: job.waID, value: encodeJson(job) }] });
  };
}

/** Reads the command topic; each offset is resolved after its job was answered (or rejected). */
export async function runCommandConsumer(
  consumer: Consumer,
  topic: string,
  handle: (value: unknown, where: { partition: number; offset: string }) => Promise<void>,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        await handle(decodeJson(message.value), { partition: batch.partition, offset: message.offset });
        resolveOffset(message.offset);
        await heartbeat();
      }
    },
  });
}
