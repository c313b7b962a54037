import { createKafka } from '@wa-broker/shared/kafka';
import { createLogger } from '@wa-broker/shared/logger';

/**
 * Deletes the topics of one test run (those whose name starts with one of `prefixes`) from the shared Kafka.
 * Every run creates a dozen topics of 3 partitions; left behind, they pile up as partition folders that slow
 * the broker (and every later run and benchmark) down. Resolves with how many it deleted.
 */
export async function deleteRunTopics(brokers: string[], prefixes: readonly string[]): Promise<number> {
  const kafka = createKafka({
    brokers,
    clientId: 'e2e-cleanup',
    logger: createLogger({ service: 'e2e', level: 'silent' }),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) =>
      prefixes.some((prefix) => topic.startsWith(prefix)),
    );
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}
