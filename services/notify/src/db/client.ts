import { fileURLToPath } from 'node:url';
import { type DatabaseSettings, migrateDatabase as migrateWithLock } from '@wa-broker/service-kit/postgres';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema.js';

export { createPool, type DatabaseSettings } from '@wa-broker/service-kit/postgres';

export type Database = NodePgDatabase<typeof schema>;

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export function createDatabase(pool: pg.Pool): Database {
  return drizzle(pool, { schema });
}

/** Applies this service's committed migrations (drizzle/), once, under an advisory lock. */
export function migrateDatabase(settings: DatabaseSettings): Promise<void> {
  return migrateWithLock(settings, { migrationsFolder, lockName: 'wa-broker-notify' });
}
