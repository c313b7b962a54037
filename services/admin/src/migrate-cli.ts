import { loadConfig } from '@wa-broker/shared/config';
import { runMain } from '@wa-broker/shared/run-main';
import type { z } from 'zod';
import { serviceConfig } from './config.js';
import { migrateDatabase } from './db/client.js';

// `pnpm migrate`: applies drizzle/ without starting the service (the service also migrates at start).
const migrateConfig = serviceConfig.pick({ DATABASE_URL: true, DATABASE_SCHEMA: true });

async function main(): Promise<void> {
  const config: z.infer<typeof migrateConfig> = loadConfig(migrateConfig, process.env);
  await migrateDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
  console.warn(`migrations applied to schema ${config.DATABASE_SCHEMA}`);
}

void runMain('admin-migrate', main);
