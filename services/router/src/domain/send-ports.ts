import type { MetaErrorDetail, UserIdentity } from '@wa-broker/shared/agent-inbound';
import type { GraphMessage } from './graph-message.js';

// The sender's ports (ports.ts re-exports them): the Graph API, the business numbers and their limits, and the
// rate limiter (graph-api.client.ts, number-registry.ts, messaging-limit.redis.ts, rate-limiter.redis.ts,
// priority-limiter.redis.ts).

/** `answeredAt`: `performance.now()` when Meta's answer (its status line) arrived; absent when none came. */
export type SendResult = (
  | { ok: true; wamid?: string }
  | { ok: false; httpStatus?: number; metaError?: MetaErrorDetail; reason: string }
) & { answeredAt?: number };

/** A business number as the sender uses it: where the message leaves from, with which token, how fast. */
export interface SendingNumber {
  phoneNumberId: string;
  /** Only ever in the Authorization header. */
  token: string;
  /** Meta's throughput for the number (80/s, 1,000/s after its upgrade). */
  perSecond: number;
}

/** The business numbers: the registry's (admin) and the deployment's default one. */
export interface NumberDirectory {
  /** The number of the deployment's own config: users who wrote to no registered number, notifications. */
  readonly defaultId: string;
  /** How to send from a number; null when it is unknown, deleted, or its token cannot be read. */
  sending(phoneNumberId: string): SendingNumber | null;
  /** Whether the number's menu offers the agent (every agent unless the number names some). */
  offers(phoneNumberId: string, agentId: string): boolean;
}

/**
 * The business portfolio's messaging limit, shared by all its numbers: unique users reached by business-initiated
 * messages (templates outside the 24 h window, notifications) in a rolling 24 h.
 */
export interface MessagingLimit {
  /** Unique users per 24 h; 0: not enforced by the broker (Meta still enforces its own). */
  readonly limit: number;
  /** Counts the user in and says yes, or says no when the limit is reached (a user counted already: yes). */
  admit(userKey: string): Promise<boolean>;
}

export interface GraphApi {
  /** `callbackData`: `biz_opaque_callback_data`, echoed by Meta in the message's statuses. */
  send(from: SendingNumber, to: UserIdentity, body: GraphMessage, callbackData?: string): Promise<SendResult>;
}

/** A token bucket (the business-user pair's limit): `burst` at once, then `perSecond`. */
export interface Bucket {
  key: string;
  perSecond: number;
  burst: number;
}

/**
 * A business number's window at Meta: at most `limit` sends in any `windowMs` (domain/send-slots.ts), the places
 * in Redis under `key`.
 */
export interface SendWindow {
  key: string;
  limit: number;
  windowMs: number;
}

/** What one send waits for: the pair's token (not for read receipts), then a place in its number's window. */
export interface SendLimits {
  pair?: Bucket;
  number: SendWindow;
}

/** A send allowed to go. */
export interface SendPermit {
  waitedMs: number;
  /**
   * Resolves once the send may reach Meta: at once, or when the place granted ahead frees (domain/send-slots.ts).
   * Call right before the Graph call, after what the sender does first.
   */
  ready(): Promise<void>;
  /**
   * Call once Meta answered (or the call failed): the send's place in the window is held from the answer on.
   * `answeredAt`: `performance.now()` when the answer arrived (Meta received the send before it); default: now.
   */
  answered(answeredAt?: number): Promise<void>;
}

export interface RateLimiter {
  /** Waits for the pair's token, then for a place in the number's window. */
  acquire(limits: SendLimits): Promise<SendPermit>;
}
