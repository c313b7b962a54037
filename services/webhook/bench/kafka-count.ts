import { testKafkaSecurity } from '@wa-broker/infra/test-env';
import { Kafka, logLevel } from 'kafkajs';

function admin(brokers: string) {
  return new Kafka({
    ...testKafkaSecurity(),
    clientId: 'webhook-bench',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
}

/** Records held by each topic: the sum of its partitions' end offsets. */
export async function countTopics(brokers: string, names: string[]): Promise<number[]> {
  const client = admin(brokers);
  await client.connect();
  try {
    return await Promise.all(
      names.map(async (topic) =>
        (await client.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0),
      ),
    );
  } finally {
    await client.disconnect();
  }
}

/** The bench's topics are throw-away: they are deleted after counting. */
export async function deleteTopics(brokers: string, names: string[]): Promise<void> {
  const client = admin(brokers);
  await client.connect();
  await client.deleteTopics({ topics: names }).catch(() => undefined);
  await client.disconnect();
}
