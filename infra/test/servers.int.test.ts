import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testStackEnv } from '../src/test-env.js';

const env = testStackEnv();

describe('PostgreSQL', () => {
  const pool = new pg.Pool({ connectionString: env.TEST_DATABASE_URL, max: 2 });
  afterAll(() => pool.end());

  it('writes and reads rows in a fresh schema of the test database', async () => {
    const schema = `t_${randomUUID().replaceAll('-', '')}`;
    await pool.query(`create schema ${schema}`);
    try {
      await pool.query(`create table ${schema}.agents (id serial primary key, name text unique not null)`);
      await pool.query(`insert into ${schema}.agents (name) values ($1), ($2)`, ['Agent A', 'Sales']);
      const { rows } = await pool.query(`select name from ${schema}.agents order by id`);
      expect(rows.map((row) => row.name)).toEqual(['Agent A', 'Sales']);
      await expect(pool.query(`insert into ${schema}.agents (name) values ('Sales')`)).rejects.toMatchObject({
        code: '23505',
      });
    } finally {
      await pool.query(`drop schema ${schema} cascade`);
    }
  });
});

describe('Redis', () => {
  const redis = new Redis(env.REDIS_URL);
  afterAll(() => redis.quit());

  it('sets if absent with a TTL, the primitive the router dedups with', async () => {
    const key = `test:${randomUUID()}`;
    expect(await redis.set(key, 'first', 'EX', 60, 'NX')).toBe('OK');
    expect(await redis.set(key, 'second', 'EX', 60, 'NX')).toBeNull();
    expect(await redis.get(key)).toBe('first');
    expect(await redis.ttl(key)).toBeGreaterThan(50);
    await redis.del(key);
  });
});

describe('MongoDB wire server', () => {
  const client = new MongoClient(env.MONGO_URL);
  afterAll(() => client.close());

  it('inserts, finds sorted, upserts and enforces a unique index with the official driver', async () => {
    const db = client.db(`t_${randomUUID().replaceAll('-', '').slice(0, 16)}`);
    const messages = db.collection<{ wamid: string; wa_id: string; at: number; text?: string }>('messages');
    await messages.createIndex({ wamid: 1 }, { unique: true });
    await messages.createIndex({ wa_id: 1, at: -1 });
    await messages.insertMany([
      { wamid: 'w1', wa_id: 'u1', at: 1 },
      { wamid: 'w2', wa_id: 'u1', at: 2 },
      { wamid: 'w3', wa_id: 'u2', at: 3 },
    ]);
    const newestFirst = await messages.find({ wa_id: 'u1' }).sort({ at: -1 }).toArray();
    expect(newestFirst.map((message) => message.wamid)).toEqual(['w2', 'w1']);
    await expect(messages.insertOne({ wamid: 'w1', wa_id: 'u9', at: 9 })).rejects.toMatchObject({
      code: 11000,
    });
    await messages.updateOne(
      { wamid: 'w4' },
      { $setOnInsert: { wa_id: 'u2', at: 4 }, $set: { text: 'hi' } },
      { upsert: true },
    );
    expect(await messages.countDocuments({ wa_id: 'u2' })).toBe(2);
    const indexes = await messages.listIndexes().toArray();
    expect(indexes.map((index) => index.name)).toEqual(expect.arrayContaining(['wamid_1', 'wa_id_1_at_-1']));
    await db.dropDatabase();
  });
});
