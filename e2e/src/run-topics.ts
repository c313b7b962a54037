import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import { createKafka } from '@wa-broker/shared/kafka';
import { removePrincipalsByPrefix } from '@wa-broker/shared/kafka-provisioning';
import { createLogger } from '@wa-broker/shared/logger';

/**
 * Deletes the topics of one e2e run (those whose name starts with one of `prefixes`) from the shared Kafka:
 * every system creates a dozen topics of 3 partitions, which left behind slow the broker down for every later
 * run. Resolves with how many it deleted.
 */
export async function deleteRunTopics(brokers: string[], prefixes: readonly string[]): Promise<number> {
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers,
    clientId: 'e2e-cleanup',
    logger: createLogger({ service: 'e2e', level: 'silent' }),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deleted = await deleteTestTopics(admin, (topic) =>
      prefixes.some((prefix) => topic.startsWith(prefix)),
    );
    return deleted.length;
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every principal of a run (`prefix`…): what its kafka-access job and its admin created. */
export async function removeRunPrincipals(brokers: string[], prefix: string): Promise<string[]> {
  const kafka = createKafka({
    auth: testKafkaAuth(),
    brokers,
    clientId: 'e2e-cleanup',
    logger: createLogger({ service: 'e2e', level: 'silent' }),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await removePrincipalsByPrefix(admin, prefix);
  } finally {
    await admin.disconnect();
  }
}
