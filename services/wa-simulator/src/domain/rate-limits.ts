import {
  ThroughputWindow,
  type TokenBucket,
  type TokenBucketRule,
  takeToken,
} from '@wa-broker/shared/meta-throughput';

/**
 * Meta's throughput limits (`@wa-broker/shared/meta-throughput`, the definition the router keeps under): per
 * business number at most its throughput in any 1 s window (a sliding window), per business-user pair a token
 * bucket (1 per 6 s sustained, bursts up to 45). Pure: the caller passes the time.
 */
export class PairLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly rule: TokenBucketRule) {}

  tryTake(key: string, nowMs: number): boolean {
    const { bucket, allowed } = takeToken(this.buckets.get(key), this.rule, nowMs);
    this.buckets.set(key, bucket);
    return allowed;
  }

  reset(): void {
    this.buckets.clear();
  }
}

/** A number's throughput: refuses a send when `perSecond` were accepted in the window before it. */
export class NumberThroughput {
  private readonly window = new ThroughputWindow();

  constructor(private readonly perSecond: number) {}

  tryTake(phoneNumberId: string, nowMs: number): boolean {
    return this.window.tryTake(phoneNumberId, this.perSecond, nowMs);
  }

  reset(): void {
    this.window.reset();
  }
}
