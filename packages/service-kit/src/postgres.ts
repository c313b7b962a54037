import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export interface DatabaseSettings {
  url: string;
  /** PostgreSQL schema holding the tables and the migration journal; tests use one per file. */
  schema: string;
}

// Every connection gets the schema first on its search_path, so the migrations' unqualified names land there.
function connectionOptions(settings: DatabaseSettings): pg.ClientConfig {
  return { connectionString: settings.url, options: `-c search_path=${quoteIdent(settings.schema)},public` };
}

export function createPool(settings: DatabaseSettings): pg.Pool {
  return new pg.Pool({ ...connectionOptions(settings), max: 10, connectionTimeoutMillis: 5000 });
}

export interface MigrationSettings {
  /** The service's committed drizzle migrations. */
  migrationsFolder: string;
  /** Names the advisory lock, e.g. the service name: two services may migrate the same database at once. */
  lockName: string;
}

/**
 * Applies the committed migrations once. A session advisory lock, taken first, keeps two instances starting
 * together from racing; both then see the same journal.
 */
export async function migrateDatabase(
  settings: DatabaseSettings,
  migrations: MigrationSettings,
): Promise<void> {
  const client = new pg.Client(connectionOptions(settings));
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [
      `${migrations.lockName}:${settings.schema}`,
    ]);
    // After the lock: two concurrent CREATE SCHEMA IF NOT EXISTS can still collide on the catalog.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(settings.schema)}`);
    await migrate(drizzle(client), {
      migrationsFolder: migrations.migrationsFolder,
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
