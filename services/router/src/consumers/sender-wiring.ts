import type { Redis } from 'ioredis';
import type { GraphApi } from '../adapters/graph-api.client.js';
import type { RateLimiter } from '../adapters/rate-limiter.redis.js';
import type { RouterStore } from '../adapters/router-store.redis.js';
import { SendClaims } from '../adapters/send-claims.redis.js';
import type { RouterConfig } from '../config.js';
import { defaultClaimLeaseMs } from '../domain/send-claim.js';
import type { Metrics } from '../handlers/metrics.js';
import type { SenderDeps } from '../handlers/send-with-retry.js';

/** The Graph API sender's settings from config; agent replies and notifications differ only in the limiter. */
export function senderDeps(
  config: RouterConfig,
  w: { graph: GraphApi; limiter: RateLimiter; metrics: Metrics },
): SenderDeps {
  return {
    graph: w.graph,
    limiter: w.limiter,
    metrics: w.metrics,
    keyPrefix: config.REDIS_KEY_PREFIX,
    phoneNumberId: config.GRAPH_PHONE_NUMBER_ID,
    perNumberPerSecond: config.RATE_LIMIT_PER_NUMBER,
    numberWindowGuardMs: config.RATE_LIMIT_WINDOW_GUARD_MS,
    pairPerSecond: config.RATE_LIMIT_PAIR_PER_SECOND,
    pairBurst: config.RATE_LIMIT_PAIR_BURST,
    maxAttempts: config.SEND_MAX_ATTEMPTS,
    backoff: { baseMs: config.SEND_BACKOFF_BASE_MS, maxMs: config.SEND_BACKOFF_MAX_MS },
    random: Math.random,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
}

/**
 * Send claims owned by this process, leased for longer than the longest send with every retry. `userStates`:
 * where a handover's session change is written with its settlement (the outbound side only).
 */
export function sendClaims(
  config: RouterConfig,
  redis: Redis,
  instanceId: string,
  userStates?: Pick<RouterStore, 'queueUserStates'>,
): SendClaims {
  const leaseMs =
    (config.SEND_CLAIM_LEASE_SECONDS ?? 0) * 1000 ||
    defaultClaimLeaseMs({
      maxAttempts: config.SEND_MAX_ATTEMPTS,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
      backoffMaxMs: config.SEND_BACKOFF_MAX_MS,
    });
  return new SendClaims(redis, config.REDIS_KEY_PREFIX, {
    owner: instanceId,
    leaseMs,
    ttlSeconds: config.DEDUP_TTL_SECONDS,
    ...(userStates ? { userStates } : {}),
  });
}
