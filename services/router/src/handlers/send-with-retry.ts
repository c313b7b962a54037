import type { MetaErrorDetail, UserIdentity } from '@wa-broker/shared/agent-inbound';
import type { GraphMessage } from '../domain/graph-message.js';
import type {
  Bucket,
  GraphApi,
  MessagingLimit,
  NumberDirectory,
  RateLimiter,
  SendingNumber,
} from '../domain/ports.js';
import { encodeSendReference, type SendReference } from '../domain/send-callback.js';
import {
  type BackoffSettings,
  backoffDelayMs,
  classifySendFailure,
  numberBucketRate,
} from '../domain/send-policy.js';
import type { Metrics } from './metrics.js';

export interface SenderDeps {
  graph: GraphApi;
  limiter: RateLimiter;
  metrics: Metrics;
  keyPrefix: string;
  /** Which number sends how: its token and throughput (adapters/number-registry.ts). */
  numbers: NumberDirectory;
  /** The portfolio's messaging limit, checked before business-initiated sends (templates outside the window). */
  messagingLimit: MessagingLimit;
  /** Network jitter allowed for, so no 1 s window at Meta holds more than the limit. */
  numberWindowGuardMs: number;
  pairPerSecond: number;
  pairBurst: number;
  maxAttempts: number;
  backoff: BackoffSettings;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export type SendOutcome =
  | { ok: true; wamid?: string; attempts: number }
  | { ok: false; windowClosed: boolean; reason: string; metaError?: MetaErrorDetail; attempts: number };

/**
 * Sends one message within the shared limits (per business number, per user pair), retrying throttling,
 * 5xx and timeouts with backoff and jitter. 131047 and other permanent errors are not retried.
 */
export async function sendWithRetry(
  deps: SenderDeps,
  /** The business number it leaves from. */
  phoneNumberId: string,
  userKey: string,
  to: UserIdentity,
  body: GraphMessage,
  /** Runs once, after the first rate-limiter wait and right before the first Graph call; may throw. */
  beforeFirstCall?: () => Promise<void>,
  /** Names the send in `biz_opaque_callback_data`, which Meta echoes in its statuses (domain/send-callback.ts). */
  reference?: SendReference,
): Promise<SendOutcome> {
  const from = deps.numbers.sending(phoneNumberId);
  if (!from) {
    deps.metrics.sends.inc({ outcome: 'error', code: 'number' });
    return {
      ok: false,
      windowClosed: false,
      attempts: 0,
      reason: `business number ${phoneNumberId} cannot send: it is not registered, was deleted, or its token cannot be read`,
    };
  }
  const buckets = limiterBuckets(deps, from, userKey, body);
  const callbackData = reference && body.type !== 'mark_as_read' ? encodeSendReference(reference) : undefined;
  for (let attempt = 0; ; attempt++) {
    const waited = await deps.limiter.acquire(buckets);
    deps.metrics.rateWait.observe(waited / 1000);
    if (attempt === 0) await beforeFirstCall?.();
    const result = await deps.graph.send(from, to, body, callbackData);
    const code = result.ok ? '' : String(result.metaError?.code ?? result.httpStatus ?? 'network');
    deps.metrics.sends.inc({ outcome: result.ok ? 'sent' : 'error', code });
    if (result.ok)
      return { ok: true, attempts: attempt + 1, ...(result.wamid ? { wamid: result.wamid } : {}) };
    const action = classifySendFailure({ httpStatus: result.httpStatus, metaCode: result.metaError?.code });
    if (action !== 'retry' || attempt + 1 >= deps.maxAttempts) {
      return {
        ok: false,
        windowClosed: action === 'window_closed',
        reason: result.reason,
        attempts: attempt + 1,
        ...(result.metaError ? { metaError: result.metaError } : {}),
      };
    }
    await deps.sleep(backoffDelayMs(attempt, result.metaError?.code, deps.backoff, deps.random()));
  }
}

/** Read receipts are not messages to the user, so only the number's throughput applies to them. */
function limiterBuckets(
  deps: SenderDeps,
  from: SendingNumber,
  userKey: string,
  body: GraphMessage,
): Bucket[] {
  // Each number its own bucket (Meta counts per number). Burst 1 spaces sends evenly; the rate leaves room for
  // jitter (numberBucketRate).
  const number: Bucket = {
    key: numberBucketKey(deps.keyPrefix, from.phoneNumberId),
    perSecond: numberBucketRate(from.perSecond, deps.numberWindowGuardMs),
    burst: 1,
  };
  if (body.type === 'mark_as_read') return [number];
  const pair: Bucket = {
    key: `${deps.keyPrefix}rate:pair:${from.phoneNumberId}:${userKey}`,
    perSecond: deps.pairPerSecond,
    burst: deps.pairBurst,
  };
  return [pair, number];
}

/** `<prefix>rate:number:<phone number id>`: the per-number bucket every router shares. */
export const numberBucketKey = (prefix: string, phoneNumberId: string) =>
  `${prefix}rate:number:${phoneNumberId}`;

/** `<prefix>rate:conversations-waiting:<phone number id>` of a number's bucket (adapters/priority-limiter.redis.ts). */
export function conversationsWaitingKey(prefix: string, bucketKey: string): string {
  const phoneNumberId = bucketKey.slice(numberBucketKey(prefix, '').length);
  return `${prefix}rate:conversations-waiting:${phoneNumberId}`;
}

/** Why a business-initiated send was refused before Meta would throttle the portfolio. */
export const messagingLimitText = (limit: number) =>
  `the business portfolio's messaging limit is reached: ${limit} users got business-initiated messages in the last 24 h (meta-2026-changes.md §1.9); the user can still write first`;
