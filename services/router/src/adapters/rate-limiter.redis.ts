import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Bucket, RateLimiter, SendPermit, SendWindow } from '../domain/ports.js';

export type { Bucket, RateLimiter, SendLimits, SendPermit, SendWindow } from '../domain/ports.js';

/**
 * A token bucket in Redis (the pair limit), shared by every router instance. Uses Redis' clock (TIME), so
 * instances with skewed clocks still agree. Returns 0 when a token was taken, else the milliseconds until one is
 * available.
 */
const takeTokenScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
`;

/**
 * `windowDecision` of domain/send-slots.ts on Redis' clock (microseconds), for several sends at once. KEYS: the
 * number's places (a sorted set: send id → answered at, or grant + the Graph timeout while in flight), and for
 * notifications the count of conversation sends waiting (any: come back in ARGV[4] ms). ARGV: limit, window,
 * in-flight bound, poll (ms), the most places one call grants, the lead (ms: places that free within it are granted
 * ahead), then the sends' ids in turn. Returns `{granted, wait for the rest, now, then for each granted send how
 * long until it may start}` as strings, the wait 0 when the cap stopped it with places still free. The j-th send
 * granted needs (held + j - limit) of the held places freed first: the earliest answered ones, in turn; its start
 * is when the last of them frees.
 */
const takePlacesScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local inflight, poll = tonumber(ARGV[3]), tonumber(ARGV[4])
local perCall, lead = tonumber(ARGV[5]), tonumber(ARGV[6])
local ids = #ARGV - 6
local f = function(x) return string.format('%.3f', x) end
if #KEYS > 1 and tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then return {'0', f(poll), f(now)} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', f(now - window))
local held = redis.call('ZCARD', KEYS[1])
local soon = redis.call('ZCOUNT', KEYS[1], '-inf', f(now + lead - window))
local free = limit - held + soon
local most = math.max(0, math.min(free, perCall, ids))
local first = held - limit
local freeing = {}
if most > 0 and first + most >= 1 then freeing = redis.call('ZRANGE', KEYS[1], 0, first + most - 1, 'WITHSCORES') end
local reply = {tostring(most), '0', f(now)}
for j = 1, most do
  local start = 0
  -- Rounded up, and a microsecond more, so that now and the start, each printed to the microsecond, never add
  -- up to a moment before the place frees.
  if first + j >= 1 then start = math.max(0, math.ceil((tonumber(freeing[2 * (first + j)]) + window - now) * 1000 + 1) / 1000) end
  redis.call('ZADD', KEYS[1], f(now + inflight), ARGV[6 + j])
  reply[3 + j] = f(start)
end
if most > 0 then redis.call('PEXPIRE', KEYS[1], math.ceil(inflight + window) + 1000) end
if most == ids or most < free then return reply end
local nextFreeing = redis.call('ZRANGE', KEYS[1], first + most, first + most, 'WITHSCORES')[2]
local wait = poll
if nextFreeing and tonumber(nextFreeing) <= now then wait = math.max(0.001, tonumber(nextFreeing) + window - lead - now) end
reply[2] = f(wait)
return reply
`;

/**
 * The send was answered ARGV[3] ms ago (measured by the router up to sending this): its place is held a window from
 * then (only if it still holds one). Redis runs the script after the router sent it, so the stamp is never before
 * the answer arrived, and Meta received the send before that.
 */
const answerScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 - tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', string.format('%.3f', now), ARGV[1])
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) + 1000 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000) end
end
return string.format('%.3f', now)
`;

/** Decrements only a live counter: a counter that expired meanwhile must not come back negative and forever. */
const leaveScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
return 0
`;

/** The count of conversation sends waiting for a number's places. */
export const conversationsWaitingKey = (window: SendWindow) => `${window.key}:conversations-waiting`;

export interface WindowSettings {
  /** A send in flight holds its place at most this long (ms) before its answer: the Graph API's timeout. */
  inFlightMs: number;
  /** How soon to look again when every place is held by a send in flight, or a conversation send waits. */
  pollMs: number;
  /**
   * Places that free within this many ms are granted ahead (domain/send-slots.ts), the send starting when its
   * place frees: the sender marks its claim meanwhile. 0: only free places.
   */
  leadMs: number;
}

/**
 * One attempt at places in the number's window for the sends `ids`, in turn: how many of the first were granted,
 * how long after the attempt each of them may start (0, or when the place granted ahead frees), and how long until
 * a place may free for the rest (Redis' time of the attempt in `at`).
 */
export async function takeWindowPlaces(
  redis: Redis,
  window: SendWindow,
  settings: WindowSettings & {
    ids: readonly string[];
    yieldToConversations: boolean;
    /** The most places one call grants (default: as many as are free). */
    perCall?: number;
  },
): Promise<{ granted: number; waitMs: number; at: number; startsInMs: number[] }> {
  const keys = [window.key];
  if (settings.yieldToConversations) keys.push(conversationsWaitingKey(window));
  const [granted, wait, at, ...startsIn] = (await redis.eval(
    takePlacesScript,
    keys.length,
    ...keys,
    String(window.limit),
    String(window.windowMs),
    String(settings.inFlightMs),
    String(settings.pollMs),
    String(settings.perCall ?? window.limit),
    String(settings.leadMs),
    ...settings.ids,
  )) as string[];
  return {
    granted: Number(granted),
    waitMs: Number(wait),
    at: Number(at),
    startsInMs: startsIn.map(Number),
  };
}

/**
 * The send holding place `id` was answered at `answeredAt` (`performance.now()`; default: now): its place is held a
 * window from then. Returns the stamp, on Redis' clock.
 */
export async function answerWindowPlace(
  redis: Redis,
  window: SendWindow,
  id: string,
  answeredAt = performance.now(),
): Promise<number> {
  const msAgo = Math.max(0, performance.now() - answeredAt);
  return Number(await redis.eval(answerScript, 1, window.key, id, String(window.windowMs), msAgo.toFixed(3)));
}

export interface RateLimiterSettings extends WindowSettings {
  /** Notifications: no place while a conversation send waits for the number (adapters/priority-limiter.redis.ts). */
  yieldToConversations: boolean;
  /** Conversations: count themselves as waiting for the number while they wait (notifications then yield). */
  announceWaiting: boolean;
  /**
   * The most places one Redis call grants, given the number's limit: notifications take a twentieth of it
   * (adapters/priority-limiter.redis.ts), so a conversation send arriving while places free is seen before
   * notifications take more than that.
   */
  placesPerCall: (limit: number) => number;
  sleep: (ms: number) => Promise<void>;
}

interface Waiter {
  id: string;
  /** `startAt`: `performance.now()` from which the send may reach Meta. */
  granted: (startAt: number) => void;
  failed: (error: unknown) => void;
}

/**
 * The pair's token bucket, then a place in the number's window (domain/send-slots.ts), both in Redis and shared by
 * every router instance. In one process the sends waiting for a number queue, and one loop asks Redis for places
 * for all of them at once (one round trip grants as many as are free), then sleeps exactly as long as Redis says:
 * no crowd waking at once for each free place, no send serialised behind another's round trip.
 */
export function createRedisRateLimiter(redis: Redis, settings: RateLimiterSettings): RateLimiter {
  const take = async (bucket: Bucket): Promise<number> =>
    Number(await redis.eval(takeTokenScript, 1, bucket.key, String(bucket.perSecond), String(bucket.burst)));
  /** Per number, the sends waiting in this process, in turn; a number has a queue while its loop runs. */
  const queues = new Map<string, Waiter[]>();
  async function pump(window: SendWindow, queue: Waiter[]): Promise<void> {
    try {
      while (queue.length > 0) {
        const taken = await takeWindowPlaces(redis, window, {
          ...settings,
          perCall: settings.placesPerCall(window.limit),
          // A call never grants more than the limit.
          ids: queue.slice(0, window.limit).map((waiter) => waiter.id),
        });
        // Read after Redis' reply arrived, so never before Redis' time of the grant: a start is never early.
        const repliedAt = performance.now();
        for (const [i, waiter] of queue.splice(0, taken.granted).entries())
          waiter.granted(repliedAt + (taken.startsInMs[i] ?? 0));
        // Timers fire on whole milliseconds and never early.
        if (queue.length > 0 && taken.waitMs > 0) await settings.sleep(Math.max(1, Math.ceil(taken.waitMs)));
      }
    } catch (error) {
      for (const waiter of queue.splice(0)) waiter.failed(error);
    } finally {
      queues.delete(window.key);
    }
  }
  function place(window: SendWindow, id: string): Promise<number> {
    return new Promise<number>((granted, failed) => {
      const queue = queues.get(window.key);
      if (queue) {
        queue.push({ id, granted, failed });
        return;
      }
      const started: Waiter[] = [{ id, granted, failed }];
      queues.set(window.key, started);
      void pump(window, started);
    });
  }
  return {
    async acquire({ pair, number }): Promise<SendPermit> {
      let waited = 0;
      if (pair)
        for (let wait = await take(pair); wait > 0; wait = await take(pair)) {
          waited += wait;
          await settings.sleep(wait);
        }
      const id = randomUUID();
      const waitingKey = conversationsWaitingKey(number);
      if (settings.announceWaiting) await redis.multi().incr(waitingKey).pexpire(waitingKey, 10_000).exec();
      const started = Date.now();
      let startAt: number;
      try {
        startAt = await place(number, id);
        waited += Date.now() - started;
      } finally {
        if (settings.announceWaiting) await redis.eval(leaveScript, 1, waitingKey);
      }
      return {
        waitedMs: waited,
        // Checked against the clock after each timer: a timer may fire before its delay has passed in real time.
        ready: async () => {
          for (let left = startAt - performance.now(); left > 0; left = startAt - performance.now())
            await settings.sleep(Math.ceil(left));
        },
        // Never throws: a place not marked answered is held until its in-flight bound, which is only slower.
        answered: (answeredAt) =>
          answerWindowPlace(redis, number, id, answeredAt).then(
            () => undefined,
            () => undefined,
          ),
      };
    },
  };
}
