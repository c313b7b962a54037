import { createHash } from 'node:crypto';
import type { Logger } from '@wa-broker/shared/logger';
import type { WebhookDelivery } from './adapters/webhook-delivery.js';
import type { ChatEntry, ConversationStore } from './conversation-store.js';
import { inboundWamid, mediaId, outboundWamid } from './domain/ids.js';
import { type MetaError, metaErrors } from './domain/meta-errors.js';
import { RateLimiter } from './domain/rate-limits.js';
import { isWindowOpen, type SendRequest, validateSendRequest } from './domain/send-validation.js';
import { planStatuses, type StatusDelays } from './domain/status-plan.js';
import {
  type BusinessNumber,
  inboundMessageItem,
  messagesChange,
  statusesChange,
  type UserAction,
} from './domain/webhook-payloads.js';

export interface SimulatorSettings {
  number: BusinessNumber;
  accessTokens: readonly string[];
  throughputPerSecond: number;
  pairBurst: number;
  pairPerSecond: number;
  statusDelays: StatusDelays;
  autoRead: boolean;
  windowErrorMode: 'sync' | 'async';
}

export type SendOutcome = { ok: true; body: Record<string, unknown> } | { ok: false; error: MetaError };

export interface Media {
  mimeType: string;
  bytes: Buffer;
  sha256: string;
}

/** Test and demo faults: the next N sends fail with a code; responses are slowed down. */
export interface SendFaults {
  failNext: { code: number; remaining: number }[];
  responseDelayMs: number;
}

/** Meta's Cloud API as seen from the broker: accepts sends, reports statuses, relays what simulated users do. */
export class WhatsAppSimulator {
  readonly faults: SendFaults = { failNext: [], responseDelayMs: 0 };
  readonly media = new Map<string, Media>();
  private readonly throughput: RateLimiter;
  private readonly pairs: RateLimiter;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly settings: SimulatorSettings,
    private readonly store: ConversationStore,
    private readonly delivery: WebhookDelivery,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.throughput = new RateLimiter({
      capacity: settings.throughputPerSecond,
      refillPerSecond: settings.throughputPerSecond,
    });
    this.pairs = new RateLimiter({ capacity: settings.pairBurst, refillPerSecond: settings.pairPerSecond });
  }

  /** `POST /{version}/{phone-number-id}/messages`. */
  send(phoneNumberId: string, authorization: string | undefined, body: unknown): SendOutcome {
    const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!token || !this.settings.accessTokens.includes(token))
      return { ok: false, error: metaErrors.invalidToken() };
    if (phoneNumberId !== this.settings.number.phoneNumberId)
      return { ok: false, error: metaErrors.unknownPhoneNumber(phoneNumberId) };
    const injected = this.takeInjectedFault();
    if (injected) return { ok: false, error: injected };
    const validation = validateSendRequest(body);
    if (!validation.ok) return validation;
    const request = validation.request;
    if (request.kind === 'mark_read') {
      if (!this.store.markReadByBusiness(request.messageId))
        return { ok: false, error: metaErrors.parameterValueInvalid('Unknown message_id') };
      return { ok: true, body: { success: true } };
    }
    const nowMs = this.now().getTime();
    if (!this.throughput.tryTake(phoneNumberId, nowMs)) return { ok: false, error: metaErrors.throughput() };
    if (!this.pairs.tryTake(request.to, nowMs)) return { ok: false, error: metaErrors.pairRateLimit() };
    const windowOpen = isWindowOpen(this.store.lastInboundAt(request.to), this.now());
    if (request.needsOpenWindow && !windowOpen && this.settings.windowErrorMode === 'sync')
      return { ok: false, error: metaErrors.reEngagement() };
    return { ok: true, body: this.accept(request, windowOpen) };
  }

  /** A simulated user does something on their phone: it becomes a signed webhook POST. */
  userSends(waId: string, name: string | undefined, action: UserAction): ChatEntry {
    const user = this.store.upsertUser({ waId, name: name ?? this.store.userOf(waId)?.name ?? waId });
    const at = this.now();
    const wamid = inboundWamid(waId);
    const item = inboundMessageItem(user, wamid, at, action);
    const entry = this.store.add(waId, {
      wamid,
      direction: 'in',
      at: at.toISOString(),
      type: String(item.type),
      content: item,
    });
    this.delivery.enqueue(messagesChange(this.settings.number, user, [item]));
    this.logger.info({ wa_id: waId, wamid, type: item.type }, 'user message sent to the webhook');
    return entry;
  }

  /** Stores an image the user "takes" and returns what the webhook item carries. */
  addUserImage(bytes: Buffer, mimeType: string): { media_id: string; mime_type: string; sha256: string } {
    const id = mediaId();
    const sha256 = createHash('sha256').update(bytes).digest('base64');
    this.media.set(id, { mimeType, bytes, sha256 });
    return { media_id: id, mime_type: mimeType, sha256 };
  }

  /** The user opens the chat: everything delivered to them becomes read (Meta's read receipts). */
  userReads(waId: string): number {
    const unread = this.store
      .entries(waId)
      .filter(
        (entry) => entry.direction === 'out' && (entry.status === 'sent' || entry.status === 'delivered'),
      );
    for (const entry of unread) {
      this.store.advance(entry.wamid, 'read');
      this.delivery.enqueue(
        statusesChange(this.settings.number, [
          {
            wamid: entry.wamid,
            status: 'read',
            at: this.now(),
            recipientId: waId,
            bizOpaqueCallbackData: entry.bizOpaqueCallbackData,
          },
        ]),
      );
    }
    return unread.length;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  idle(): boolean {
    return this.timers.size === 0;
  }

  resetLimits(): void {
    this.throughput.reset();
    this.pairs.reset();
  }

  private takeInjectedFault(): MetaError | undefined {
    const next = this.faults.failNext[0];
    if (!next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) this.faults.failNext.shift();
    return next.code === 131047
      ? metaErrors.reEngagement()
      : next.code === 130429
        ? metaErrors.throughput()
        : next.code === 131056
          ? metaErrors.pairRateLimit()
          : metaErrors.injected(next.code);
  }

  private accept(
    request: Extract<SendRequest, { kind: 'message' }>,
    windowOpen: boolean,
  ): Record<string, unknown> {
    const wamid = outboundWamid(request.to);
    const content = (request.body[request.type] ?? {}) as Record<string, unknown>;
    this.store.add(request.to, {
      wamid,
      direction: 'out',
      at: this.now().toISOString(),
      type: request.type,
      content,
      status: 'accepted',
      bizOpaqueCallbackData: request.bizOpaqueCallbackData,
    });
    const failWith = request.needsOpenWindow && !windowOpen ? metaErrors.reEngagement() : undefined;
    if (request.type !== 'reaction')
      this.scheduleStatuses(wamid, request.to, request.bizOpaqueCallbackData, failWith);
    this.logger.info({ wa_id: request.to, wamid, type: request.type }, 'business message accepted');
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input: request.to, wa_id: request.to }],
      messages: [{ id: wamid }],
    };
  }

  private scheduleStatuses(
    wamid: string,
    recipientId: string,
    callbackData: string | undefined,
    failWith?: MetaError,
  ): void {
    const error = failWith
      ? { code: failWith.code, title: failWith.title, details: failWith.details }
      : undefined;
    for (const planned of planStatuses(this.settings.statusDelays, {
      autoRead: this.settings.autoRead,
      ...(error ? { failWith: error } : {}),
    })) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.store.advance(wamid, planned.status, planned.error);
        const update = {
          wamid,
          status: planned.status,
          at: this.now(),
          recipientId,
          ...(planned.error ? { error: planned.error } : {}),
          bizOpaqueCallbackData: callbackData,
        };
        this.delivery.enqueue(statusesChange(this.settings.number, [update]));
      }, planned.afterMs);
      this.timers.add(timer);
    }
  }
}
