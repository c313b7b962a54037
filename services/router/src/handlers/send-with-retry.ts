import type { MetaErrorDetail, UserIdentity } from '@wa-broker/shared/agent-inbound';
import { metaThroughput } from '@wa-broker/shared/meta-throughput';
import type { GraphMessage } from '../domain/graph-message.js';
import type {
  Bucket,
  GraphApi,
  MessagingLimit,
  NumberDirectory,
  RateLimiter,
  SendingNumber,
  SendLimits,
} from '../domain/ports.js';
import { encodeSendReference, type SendReference } from '../domain/send-callback.js';
import { type BackoffSettings, backoffDelayMs, classifySendFailure } from '../domain/send-policy.js';
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
  /** Added to Meta's 1 s window when counting a number's sends: a margin for a Meta clock that runs fast. */
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
  const limits = sendLimits(deps, from, userKey, body);
  const callbackData = reference && body.type !== 'mark_as_read' ? encodeSendReference(reference) : undefined;
  for (let attempt = 0; ; attempt++) {
    const permit = await deps.limiter.acquire(limits);
    deps.metrics.rateWait.observe(permit.waitedMs / 1000);
    let placed = performance.now();
    let result: Awaited<ReturnType<GraphApi['send']>> | undefined;
    try {
      if (attempt === 0) await beforeFirstCall?.();
      // A place granted ahead: the claim was marked while it freed; the place's turn counts from its start.
      await permit.ready();
      placed = performance.now();
      result = await deps.graph.send(from, to, body, callbackData);
    } finally {
      // From its answer on, the send holds its place in Meta's window (domain/send-slots.ts).
      await permit.answered(result?.answeredAt);
      deps.metrics.placeHeld.observe((performance.now() - placed) / 1000);
    }
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
function sendLimits(deps: SenderDeps, from: SendingNumber, userKey: string, body: GraphMessage): SendLimits {
  // Each number its own window (Meta counts per number); the guard, if any, widens Meta's window.
  const number = {
    key: numberWindowKey(deps.keyPrefix, from.phoneNumberId),
    limit: from.perSecond,
    windowMs: metaThroughput.windowMs + deps.numberWindowGuardMs,
  };
  if (body.type === 'mark_as_read') return { number };
  const pair: Bucket = {
    key: `${deps.keyPrefix}rate:pair:${from.phoneNumberId}:${userKey}`,
    perSecond: deps.pairPerSecond,
    burst: deps.pairBurst,
  };
  return { pair, number };
}

/** `<prefix>rate:window:<phone number id>`: the number's places in Meta's window, shared by every router. */
export const numberWindowKey = (prefix: string, phoneNumberId: string) =>
  `${prefix}rate:window:${phoneNumberId}`;

/** Why a business-initiated send was refused before Meta would throttle the portfolio. */
export const messagingLimitText = (limit: number) =>
  `the business portfolio's messaging limit is reached: ${limit} users got business-initiated messages in the last 24 h (meta-2026-changes.md §1.9); the user can still write first`;
