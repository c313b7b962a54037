import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testStackEnv } from '@wa-broker/infra/test-env';
import { describe, expect, it } from 'vitest';
import { createPool, migrateDatabase } from '../src/postgres.js';

function migrationsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  mkdirSync(join(dir, 'meta'));
  writeFileSync(
    join(dir, '0000_init.sql'),
    'CREATE TABLE things (id serial PRIMARY KEY, name text NOT NULL);',
  );
  writeFileSync(
    join(dir, 'meta', '_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 1, tag: '0000_init', breakpoints: true }],
    }),
  );
  return dir;
}

describe('migrateDatabase', () => {
  it('creates the schema, applies the migrations once even when two instances start together', async () => {
    const settings = {
      url: testStackEnv().TEST_DATABASE_URL,
      schema: `kit_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    };
    const migrations = { migrationsFolder: migrationsFolder(), lockName: 'service-kit-test' };
    await Promise.all([migrateDatabase(settings, migrations), migrateDatabase(settings, migrations)]);
    const pool = createPool(settings);
    try {
      await pool.query("INSERT INTO things (name) VALUES ('a')");
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM "${settings.schema}".__drizzle_migrations`,
      );
      expect(rows[0].n).toBe(1);
      expect((await pool.query('SELECT name FROM things')).rows).toEqual([{ name: 'a' }]);
    } finally {
      await pool.query(`DROP SCHEMA "${settings.schema}" CASCADE`);
      await pool.end();
    }
  });
});
