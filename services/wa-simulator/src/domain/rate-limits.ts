/**
 * Meta's throughput limits as token buckets: per business number (80 msg/s by default) and per
 * business-user pair (1 per 6 s sustained, bursts up to 45). Pure: the caller passes the time.
 */
export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface BucketRule {
  capacity: number;
  refillPerSecond: number;
}

/** Takes one token if there is one; returns the bucket's new state and whether the call may go ahead. */
export function takeToken(
  bucket: Bucket | undefined,
  rule: BucketRule,
  nowMs: number,
): { bucket: Bucket; allowed: boolean } {
  const current = bucket ?? { tokens: rule.capacity, updatedAt: nowMs };
  const elapsedSeconds = Math.max(0, nowMs - current.updatedAt) / 1000;
  const tokens = Math.min(rule.capacity, current.tokens + elapsedSeconds * rule.refillPerSecond);
  if (tokens < 1) return { bucket: { tokens, updatedAt: nowMs }, allowed: false };
  return { bucket: { tokens: tokens - 1, updatedAt: nowMs }, allowed: true };
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rule: BucketRule) {}

  tryTake(key: string, nowMs: number): boolean {
    const { bucket, allowed } = takeToken(this.buckets.get(key), this.rule, nowMs);
    this.buckets.set(key, bucket);
    return allowed;
  }

  reset(): void {
    this.buckets.clear();
  }
}
