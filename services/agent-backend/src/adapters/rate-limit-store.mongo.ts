import { type Collection, type Db, MongoServerError } from 'mongodb';

interface AttemptDoc {
  /** The limiter's key (`ip:…`, `email:…`). */
  _id: string;
  count: number;
  /** The window started at the key's first attempt and ends then. */
  expires_at: Date;
}

export function attemptsCollection(db: Db): Collection<AttemptDoc> {
  return db.collection<AttemptDoc>('sign_in_attempts');
}

export async function ensureAttemptIndexes(collection: Collection<AttemptDoc>): Promise<void> {
  await collection.createIndex({ expires_at: 1 }, { name: 'expiry', expireAfterSeconds: 0 });
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;
const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === 11000;

/** One attempt: counted in the key's current window, or the first of a new one. Atomic per step. */
async function count(collection: Collection<AttemptDoc>, key: string, windowMs: number, now: Date) {
  for (let tries = 0; ; tries += 1) {
    const current = await collection.findOneAndUpdate(
      { _id: key, expires_at: { $gt: now } },
      { $inc: { count: 1 } },
      { returnDocument: 'after' },
    );
    if (current) return { current: current.count, ttl: current.expires_at.getTime() - now.getTime() };
    const fresh = { count: 1, expires_at: new Date(now.getTime() + windowMs) };
    // An expired window starts again; of two instances doing it at once one wins, the other counts in it.
    const restarted = await collection.updateOne({ _id: key, expires_at: { $lte: now } }, { $set: fresh });
    if (restarted.modifiedCount === 1) return { current: 1, ttl: windowMs };
    try {
      await collection.insertOne({ _id: key, ...fresh });
      return { current: 1, ttl: windowMs };
    } catch (error) {
      if (!isDuplicateKey(error) || tries >= 3) throw error;
    }
  }
}

/**
 * A store for @fastify/rate-limit shared by every instance (its default store is per process, so N instances
 * behind a balancer would allow N times the limit). The window of a key starts at its first attempt.
 */
export function mongoRateLimitStore(collection: Collection<AttemptDoc>, now: () => Date = () => new Date()) {
  return class MongoRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      count(collection, key, timeWindow, now()).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    child(): MongoRateLimitStore {
      return this;
    }
  };
}
