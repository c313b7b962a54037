import { WebhookError } from '../domain/errors.js';

export interface CoalescerOptions<Item> {
  /** Sends one batch; resolves only once every item in it is durably stored. */
  send: (items: Item[]) => Promise<void>;
  /** How long the first queued request waits for company when nothing is in flight. */
  lingerMs: number;
  /** A batch is closed once it holds this many bytes (a single bigger request still goes alone). */
  maxBatchBytes: number;
  /** A request not acknowledged within this time is rejected (the caller answers 503). */
  timeoutMs: number;
  /** Back-pressure: beyond this many queued bytes new requests are rejected at once. */
  maxQueuedBytes: number;
  onBatch?: (stats: { requests: number; items: number; bytes: number; seconds: number; ok: boolean }) => void;
  onError?: (error: unknown) => void;
}

interface Pending<Item> {
  items: Item[];
  bytes: number;
  settled: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Coalesces concurrent requests into batched sends, one send in flight at a time. While a send is in flight the
 * next batch fills up, so batches grow with load and a request's items are written after every item queued
 * before it (per-user order; the idempotent producer also needs a single in-flight send). Each request's
 * promise settles only after the send holding its items succeeded, so batching never weakens the ack.
 */
export class CoalescingSender<Item> {
  private queue: Pending<Item>[] = [];
  private queuedBytes = 0;
  private inFlight: Promise<void> | undefined;
  private inFlightSince = 0;
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CoalescerOptions<Item>) {}

  /** Resolves once all `items` are stored; rejects with `kafka_unavailable` on failure or timeout. */
  submit(items: Item[], bytes: number): Promise<void> {
    if (this.queuedBytes + bytes > this.options.maxQueuedBytes && this.queue.length > 0)
      return Promise.reject(new WebhookError('kafka_unavailable', 'the produce queue is full'));
    return new Promise<void>((resolve, reject) => {
      const pending: Pending<Item> = {
        items,
        bytes,
        settled: false,
        resolve,
        reject,
        timer: undefined as never,
      };
      pending.timer = setTimeout(() => {
        this.settle(pending, new WebhookError('kafka_unavailable', 'Kafka did not acknowledge in time'));
      }, this.options.timeoutMs);
      this.queue.push(pending);
      this.queuedBytes += bytes;
      this.schedule();
    });
  }

  /** True while a send has been waiting longer than the timeout: Kafka is down or stuck. */
  isStalled(now = Date.now()): boolean {
    return this.inFlight !== undefined && now - this.inFlightSince > this.options.timeoutMs;
  }

  /** Sends everything queued and waits for it (shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight || this.queue.length > 0) {
      if (!this.inFlight) this.flush();
      await this.inFlight?.catch(() => undefined);
    }
  }

  private schedule(): void {
    if (this.inFlight) return;
    if (this.queuedBytes >= this.options.maxBatchBytes || this.options.lingerMs <= 0) this.flush();
    else this.lingerTimer ??= setTimeout(() => this.flush(), this.options.lingerMs);
  }

  private flush(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    const items = batch.flatMap((pending) => pending.items);
    const bytes = batch.reduce((sum, pending) => sum + pending.bytes, 0);
    const started = performance.now();
    this.inFlightSince = Date.now();
    this.inFlight = this.options
      .send(items)
      .then(
        () => {
          this.report(batch.length, items.length, bytes, started, true);
          for (const pending of batch) this.settle(pending);
        },
        (error: unknown) => {
          this.report(batch.length, items.length, bytes, started, false);
          this.options.onError?.(error);
          const failure = new WebhookError('kafka_unavailable', 'Kafka did not acknowledge the batch');
          for (const pending of batch) this.settle(pending, failure);
        },
      )
      .finally(() => {
        this.inFlight = undefined;
        // Whatever queued meanwhile has already waited a whole round trip: send it now.
        if (this.queue.length > 0) this.flush();
      });
  }

  /** Takes whole requests up to the byte limit, dropping those already answered with a timeout. */
  private takeBatch(): Pending<Item>[] {
    const batch: Pending<Item>[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && (batch.length === 0 || bytes < this.options.maxBatchBytes)) {
      const next = this.queue[0] as Pending<Item>;
      if (batch.length > 0 && bytes + next.bytes > this.options.maxBatchBytes) break;
      this.queue.shift();
      this.queuedBytes -= next.bytes;
      if (next.settled) continue;
      batch.push(next);
      bytes += next.bytes;
    }
    return batch;
  }

  private settle(pending: Pending<Item>, error?: Error): void {
    if (pending.settled) return;
    pending.settled = true;
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve();
  }

  private report(requests: number, items: number, bytes: number, started: number, ok: boolean): void {
    const seconds = (performance.now() - started) / 1000;
    this.options.onBatch?.({ requests, items, bytes, seconds, ok });
  }
}
