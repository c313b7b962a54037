import type { Logger } from '@wa-broker/shared/logger';
import type { Redis } from 'ioredis';
import { createGraphApiClient, type GraphApi } from '../adapters/graph-api.client.js';
import { createPriorityLimiters } from '../adapters/priority-limiter.redis.js';
import type { RateLimiter } from '../adapters/rate-limiter.redis.js';
import type { RouterStore } from '../adapters/router-store.redis.js';
import { createPresence, SendClaims } from '../adapters/send-claims.redis.js';
import type { RouterConfig } from '../config.js';
import type { MessagingLimit, NumberDirectory } from '../domain/ports.js';
import { defaultClaimLeaseMs } from '../domain/send-claim.js';
import type { Metrics } from '../handlers/metrics.js';
import type { SenderDeps } from '../handlers/send-with-retry.js';

/** The Graph API sender's settings from config; agent replies and notifications differ only in the limiter. */
export function senderDeps(
  config: RouterConfig,
  w: {
    graph: GraphApi;
    limiter: RateLimiter;
    metrics: Metrics;
    numbers: NumberDirectory;
    messagingLimit: MessagingLimit;
  },
): SenderDeps {
  return {
    graph: w.graph,
    limiter: w.limiter,
    metrics: w.metrics,
    keyPrefix: config.REDIS_KEY_PREFIX,
    numbers: w.numbers,
    messagingLimit: w.messagingLimit,
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

/** The Graph API client from config (tests and the benchmark pass a fake to buildApp instead). */
export function graphApiClient(config: RouterConfig): GraphApi {
  return createGraphApiClient({
    baseUrl: config.GRAPH_API_BASE_URL,
    version: config.GRAPH_API_VERSION,
    timeoutMs: config.GRAPH_TIMEOUT_MS,
  });
}

/** Agent conversations before notifications in the number's window (adapters/priority-limiter.redis.ts). */
export function priorityLimiters(config: RouterConfig, redis: Redis) {
  return createPriorityLimiters(redis, {
    // A send in flight holds its place until its answer, at the latest until the Graph client gives up.
    inFlightMs: config.GRAPH_TIMEOUT_MS + 1_000,
    pollMs: 5,
    // The grant's round trip and the claim's mark (a Redis write) fit in it on a loaded machine.
    leadMs: 50,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}

/** Lets other routers tell a crashed owner's send claims from a live one's within ~10 s (domain/send-claim.ts). */
export function routerPresence(config: RouterConfig, redis: Redis, instanceId: string, logger: Logger) {
  return createPresence(redis, config.REDIS_KEY_PREFIX, {
    owner: instanceId,
    refreshMs: 3_000,
    ttlMs: 10_000,
    onError: (err) => logger.warn({ err }, 'router presence not refreshed'),
  });
}
