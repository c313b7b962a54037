import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { testStackEnv } from './test-env.js';

/** What a test created on the shared stack besides topics (those go through test-topics.ts). */
export interface TestState {
  /** Schemas of the test database (TEST_DATABASE_URL). */
  postgresSchemas?: string[];
  mongoDatabases?: string[];
  /** Every Redis key under this prefix; it must name one run only (e.g. `e2e-<run id>:`). */
  redisKeyPrefix?: string;
}

/** Drops a test's schemas, Mongo databases and Redis keys, so runs do not pile up on the shared stack. */
export async function dropTestState(state: TestState): Promise<void> {
  const env = testStackEnv();
  if (state.postgresSchemas?.length) {
    const pool = new pg.Pool({ connectionString: env.TEST_DATABASE_URL, max: 1 });
    try {
      for (const schema of state.postgresSchemas)
        await pool.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '')}" CASCADE`);
    } finally {
      await pool.end();
    }
  }
  if (state.mongoDatabases?.length) {
    const client = await MongoClient.connect(env.MONGO_URL);
    try {
      for (const name of state.mongoDatabases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  }
  if (state.redisKeyPrefix) await deleteRedisKeys(env.REDIS_URL, state.redisKeyPrefix);
}

/**
 * Deletes every key under `prefix` (one run's: never a short or shared one) with SCAN, in pages, and says how
 * many went: a run's keys can be far too many for one command's output.
 */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  if (prefix.length < 8) throw new Error(`refusing to drop keys under '${prefix}'`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
