import type { Logger } from '@wa-broker/shared/logger';
import { type EntryChange, metaJson, signatureHeader, webhookBody } from '../domain/webhook-payloads.js';

export interface DeliverySettings {
  url: string;
  appSecret: string;
  /**
   * Streams POSTing at once. A user always uses the same one, and a stream has one POST in flight: a user's
   * webhooks arrive in order, and changes that pile up while a POST is in flight go out together in the next
   * (≤1000), so batches appear only when the receiver falls behind, as Meta aggregates under load.
   */
  concurrency: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

/** Delivery faults, set through the fault API. */
export interface DeliveryFaults {
  /**
   * 0 (Meta's usual way): one change per POST, posted as soon as it happens. Above 0: changes arriving within
   * this window go out in one POST (≤1000), harder on receivers than Meta, who batches only occasionally.
   */
  batchWindowMs: number;
  /** Probability (0–1) that a delivered POST is delivered a second time, as Meta's at-least-once does. */
  duplicateRate: number;
  /** Hold each POST back until the next one went out, so they arrive out of order. */
  reorder: boolean;
}

export interface DeliveryStats {
  posts: number;
  delivered: number;
  retries: number;
  duplicates: number;
  failed: number;
}

/**
 * Signs and POSTs webhook bodies like Meta, every business number's to the one URL (each change in the entry of
 * its number's WABA): one change each while the receiver keeps up (aggregated when it
 * falls behind; batched by time only as a fault), retried with exponential backoff until a 200, sometimes twice. `idle()` resolves when nothing is queued, in flight or waiting for a retry.
 */
export class WebhookDelivery {
  readonly stats: DeliveryStats = { posts: 0, delivered: 0, retries: 0, duplicates: 0, failed: 0 };
  faults: DeliveryFaults = { batchWindowMs: 0, duplicateRate: 0, reorder: false };
  private batch: EntryChange[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private held: Buffer | undefined;
  private inFlight = 0;
  private readonly streams: { queue: EntryChange[]; busy: boolean }[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly settings: DeliverySettings,
    private readonly logger: Logger,
  ) {
    this.streams = Array.from({ length: Math.max(1, settings.concurrency) }, () => ({
      queue: [],
      busy: false,
    }));
  }

  /**
   * `user` (their BSUID) picks the stream: one user's POSTs go out in order, each once the previous one was
   * answered (or failed its first attempt; retries come later, as Meta's do). Different users' run concurrently.
   */
  enqueue(change: EntryChange, user?: string): void {
    // No timer: even a 0 ms one would gather the changes of one tick (statuses due together) into one POST.
    if (this.faults.batchWindowMs <= 0 && this.batch.length === 0) {
      const stream = this.streams[streamOf(user, this.streams.length)] ?? this.streams[0];
      stream?.queue.push(change);
      if (stream && !stream.busy) void this.drain(stream);
      return;
    }
    this.batch.push(change);
    if (this.batch.length >= 1000) this.flush();
    else this.batchTimer ??= setTimeout(() => this.flush(), this.faults.batchWindowMs);
  }

  idle(): boolean {
    return (
      this.batch.length === 0 &&
      this.inFlight === 0 &&
      this.streams.every((stream) => !stream.busy && stream.queue.length === 0) &&
      this.timers.size === 0 &&
      this.held === undefined
    );
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.batchTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const changes = this.batch.splice(0, 1000);
    if (changes.length > 0) void this.send(changes);
  }

  private async drain(stream: { queue: EntryChange[]; busy: boolean }): Promise<void> {
    stream.busy = true;
    while (stream.queue.length > 0 && !this.closed) await this.send(stream.queue.splice(0, 1000));
    stream.busy = false;
  }

  /** Resolves after the first attempt (retries and duplicates are scheduled for later). */
  private async send(changes: EntryChange[]): Promise<void> {
    const body = metaJson(webhookBody(changes));
    if (this.faults.reorder && this.held === undefined) {
      this.held = body;
      // Released by the next POST, or after a short while when none comes.
      this.later(async () => this.releaseHeld(), 300);
      return;
    }
    const posted = this.post(body, 1);
    this.releaseHeld();
    await posted;
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = undefined;
    if (held) void this.post(held, 1);
  }

  private async post(body: Buffer, attempt: number): Promise<void> {
    if (this.closed) return;
    this.inFlight += 1;
    this.stats.posts += 1;
    let status = 0;
    try {
      const response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signatureHeader(body, this.settings.appSecret),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      this.logger.debug({ err: error, attempt }, 'webhook delivery error');
    } finally {
      this.inFlight -= 1;
    }
    if (status === 200) {
      this.stats.delivered += 1;
      if (attempt === 1 && Math.random() < this.faults.duplicateRate) {
        this.stats.duplicates += 1;
        this.later(() => this.post(body, 2), 10);
      }
      return;
    }
    if (attempt >= this.settings.maxAttempts) {
      this.stats.failed += 1;
      this.logger.warn({ status, attempt }, 'webhook delivery abandoned');
      return;
    }
    this.stats.retries += 1;
    const backoff = Math.min(this.settings.maxBackoffMs, this.settings.initialBackoffMs * 2 ** (attempt - 1));
    this.logger.info({ status, attempt, backoffMs: backoff }, 'webhook not acknowledged, retrying');
    this.later(() => this.post(body, attempt + 1), backoff * (0.8 + Math.random() * 0.4));
  }

  private later(task: () => Promise<void>, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
    }, delayMs);
    this.timers.add(timer);
  }
}

/** The stream of a user: a stable hash of their id; changes about no user take stream 0. */
function streamOf(user: string | undefined, count: number): number {
  if (user === undefined) return 0;
  let hash = 0;
  for (let index = 0; index < user.length; index += 1) hash = (hash * 31 + user.charCodeAt(index)) >>> 0;
  return hash % count;
}
