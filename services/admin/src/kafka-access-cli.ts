import { loadConfig } from '@wa-broker/shared/config';
import { createKafka, credentialProbe, kafkaConnection } from '@wa-broker/shared/kafka';
import { provisionPrincipals } from '@wa-broker/shared/kafka-provisioning';
import { createLogger } from '@wa-broker/shared/logger';
import { runMain } from '@wa-broker/shared/run-main';
import { copyGroupOffsets, parseGroupCopies } from './adapters/group-offsets.kafka.js';
import { accessSetupConfig, setupPrincipals } from './kafka-access-setup.js';

// Creates (or updates) the core services' Kafka principals and their ACLs; see kafka-access-setup.ts.
async function main(): Promise<void> {
  const config = loadConfig(accessSetupConfig, process.env);
  const principals = setupPrincipals(config);
  if (config.DRY_RUN) {
    for (const principal of principals)
      for (const grant of principal.grants)
        process.stdout.write(
          `${grant.principal} ${grant.operations.join(',')} ${grant.resourceType} ${grant.patternType} ${grant.resourceName}\n`,
        );
    return;
  }
  const copies = parseGroupCopies(config.COPY_GROUP_OFFSETS);
  const logger = createLogger({ service: 'kafka-access', level: config.LOG_LEVEL });
  const admin = createKafka({ ...kafkaConnection(config), clientId: 'kafka-access', logger }).admin();
  await admin.connect();
  try {
    // Done once every broker takes every credential: services started right after never meet a refusal.
    await provisionPrincipals(admin, principals, credentialProbe(logger, kafkaConnection(config).auth?.tls));
    for (const copy of copies)
      logger.info(
        { ...copy, topics: await copyGroupOffsets(admin, copy) },
        'consumer group offsets carried over',
      );
  } finally {
    await admin.disconnect();
  }
  logger.info(
    { principals: principals.map((principal) => principal.username) },
    'kafka principals provisioned',
  );
}

void runMain('kafka-access', main);
