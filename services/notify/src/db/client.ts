import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';

export type Database = NodePgDatabase<typeof schema>;

export interface DatabaseSettings {
  url: string;
  /** PostgreSQL schema holding the tables and the migration journal; tests use one per file. */
  schema: string;
}

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

// Every connection gets the schema first on its search_path, so the migrations' unqualified names land there.
function connectionOptions(settings: DatabaseSettings): pg.ClientConfig {
  return { connectionString: settings.url, options: `-c search_path=${quoteIdent(settings.schema)},public` };
}

export function createPool(settings: DatabaseSettings): pg.Pool {
  return new pg.Pool({ ...connectionOptions(settings), max: 10, connectionTimeoutMillis: 5000 });
}

export function createDatabase(pool: pg.Pool): Database {
  return drizzle(pool, { schema });
}

/**
 * Applies the committed migrations (drizzle/) once. A session advisory lock keeps two instances starting
 * together from racing; both then see the same journal.
 */
export async function migrateDatabase(settings: DatabaseSettings): Promise<void> {
  const client = new pg.Client(connectionOptions(settings));
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(settings.schema)}`);
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`wa-broker-notify:${settings.schema}`]);
    await migrate(drizzle(client), {
      migrationsFolder,
      migrationsSchema: settings.schema,
      migrationsTable: '__drizzle_migrations',
    });
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
