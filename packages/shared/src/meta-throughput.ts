/**
 * Meta's throughput limits on sends (whatsapp-cloud-api.md §5), defined once for the router, which keeps under
 * them, and the simulator, which refuses what goes over them (130429 / 131056).
 *
 * Per business number: at most `perSecond` messages in any window of `windowMs` (a sliding window, not a
 * calendar second). Per (number, user) pair: a token bucket, `burst` at once, then `perSecond`.
 */
export const metaThroughput = {
  /** The window Meta counts a number's messages in. */
  windowMs: 1000,
  /** A number's throughput unless its tier says otherwise (Meta's 80 messages per second). */
  defaultPerSecond: 80,
} as const;

/**
 * The per-number rule as Meta (the simulator) applies it: a send is accepted only while fewer than `limit`
 * sends were accepted in the `windowMs` before it. Pure: the caller passes the time.
 */
export class ThroughputWindow {
  /** Per key, the times of the last `limit` accepted sends, oldest first. */
  private readonly accepted = new Map<string, number[]>();

  constructor(private readonly windowMs: number = metaThroughput.windowMs) {}

  tryTake(key: string, limit: number, nowMs: number): boolean {
    const times = this.accepted.get(key) ?? [];
    if (times.length >= limit && nowMs - (times[times.length - limit] ?? 0) < this.windowMs) return false;
    times.push(nowMs);
    if (times.length > limit) times.splice(0, times.length - limit);
    this.accepted.set(key, times);
    return true;
  }

  reset(): void {
    this.accepted.clear();
  }
}

/** How many of `times` (ms) fall in each second from the earliest: a steady rate or a bursty one. */
export function perSecond(times: readonly number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const counts: number[] = [];
  for (const at of sorted) {
    const second = Math.floor((at - (sorted[0] ?? at)) / 1000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count ?? 0);
}

/** The most of `times` (ms) in any half-open window `[t, t + windowMs)`. */
export function maxInAnyWindow(times: readonly number[], windowMs: number = metaThroughput.windowMs): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/**
 * The shortest time between a send and the `limit`-th send after it: Meta refuses a send when this is under its
 * window, so it shows how much margin the sender kept. `undefined` with `limit` sends or fewer.
 */
export function tightestSpanMs(times: readonly number[], limit: number): number | undefined {
  const sorted = [...times].sort((a, b) => a - b);
  let tightest: number | undefined;
  for (let i = limit; i < sorted.length; i++) {
    const span = (sorted[i] ?? 0) - (sorted[i - limit] ?? 0);
    tightest = tightest === undefined ? span : Math.min(tightest, span);
  }
  return tightest;
}

/** A token bucket's state: tokens left at `updatedAt` (ms). */
export interface TokenBucket {
  tokens: number;
  updatedAt: number;
}

export interface TokenBucketRule {
  capacity: number;
  refillPerSecond: number;
}

/** Takes one token if there is one (the pair limit); returns the bucket's new state and whether it may go. */
export function takeToken(
  bucket: TokenBucket | undefined,
  rule: TokenBucketRule,
  nowMs: number,
): { bucket: TokenBucket; allowed: boolean } {
  const current = bucket ?? { tokens: rule.capacity, updatedAt: nowMs };
  const elapsedSeconds = Math.max(0, nowMs - current.updatedAt) / 1000;
  const tokens = Math.min(rule.capacity, current.tokens + elapsedSeconds * rule.refillPerSecond);
  if (tokens < 1) return { bucket: { tokens, updatedAt: nowMs }, allowed: false };
  return { bucket: { tokens: tokens - 1, updatedAt: nowMs }, allowed: true };
}

/** Whether `times` (ms) of one pair's sends all pass a token bucket of `rule`, replayed in order. */
export function withinTokenBucket(times: readonly number[], rule: TokenBucketRule): boolean {
  let bucket: TokenBucket | undefined;
  for (const at of [...times].sort((a, b) => a - b)) {
    const taken = takeToken(bucket, rule, at);
    if (!taken.allowed) return false;
    bucket = taken.bucket;
  }
  return true;
}
