import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { deleteTestTopics } from '@wa-broker/infra/test-topics';
import { createKafka } from '@wa-broker/shared/kafka';
import { removePrincipalsByPrefix } from '@wa-broker/shared/kafka-provisioning';
import { createLogger } from '@wa-broker/shared/logger';
import type { Admin } from 'kafkajs';

/** Runs `work` with an admin client of the cluster's administrator (the stack's super user), then disconnects. */
export async function asAdministrator<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createKafka({
    auth: testKafkaAuth(),
    brokers,
    clientId: 'e2e-cleanup',
    logger: createLogger({ service: 'e2e', level: 'silent' }),
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Deletes the topics of one e2e run (those whose name starts with one of `prefixes`) from the shared Kafka:
 * every system creates a dozen topics of 3 partitions, which left behind slow the broker down for every later
 * run. Resolves with how many it deleted.
 */
export function deleteRunTopics(brokers: string[], prefixes: readonly string[]): Promise<number> {
  return asAdministrator(brokers, async (admin) => {
    const deleted = await deleteTestTopics(admin, (topic) =>
      prefixes.some((prefix) => topic.startsWith(prefix)),
    );
    return deleted.length;
  });
}

/** Deletes every principal of a run (`prefix`…): what its kafka-access job and its admin created. */
export function removeRunPrincipals(brokers: string[], prefix: string): Promise<string[]> {
  return asAdministrator(brokers, (admin) => removePrincipalsByPrefix(admin, prefix));
}
