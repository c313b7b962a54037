import type { Logger } from '@wa-broker/shared/logger';
import { isWindowOpenAtMeta, windowExpiresAt } from '@wa-broker/shared/reply-window';
import type { WebhookDelivery } from './adapters/webhook-delivery.js';
import type { ConversationStore } from './conversation-store.js';
import { outboundWamid } from './domain/ids.js';
import { type MetaError, metaErrors } from './domain/meta-errors.js';
import { RateLimiter } from './domain/rate-limits.js';
import { type SendRequest, validateSendRequest } from './domain/send-validation.js';
import { planStatuses, type StatusDelays } from './domain/status-plan.js';
import {
  addressOf,
  type BusinessNumber,
  type SimUser,
  sharedPhone,
  statusesChange,
} from './domain/webhook-payloads.js';

export type WindowErrorMode = 'sync' | 'async';

export interface SimulatorSettings {
  number: BusinessNumber;
  accessTokens: readonly string[];
  throughputPerSecond: number;
  pairBurst: number;
  pairPerSecond: number;
  statusDelays: StatusDelays;
  autoRead: boolean;
}

export type SendOutcome = { ok: true; body: Record<string, unknown> } | { ok: false; error: MetaError };

export interface Media {
  mimeType: string;
  bytes: Buffer;
  sha256: string;
}

/**
 * Test and demo faults: the next N sends fail with a code; responses are slowed down; a free-form send outside
 * the window is refused synchronously (`sync`, harsher than Meta) instead of failing in a status (`async`).
 */
export interface SendFaults {
  failNext: { code: number; remaining: number }[];
  responseDelayMs: number;
  windowErrorMode: WindowErrorMode;
}

/** Meta's Cloud API as seen from the broker: accepts sends and reports their statuses. */
export class WhatsAppSimulator {
  readonly faults: SendFaults = { failNext: [], responseDelayMs: 0, windowErrorMode: 'async' };
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

  /** Whether the bearer token in an `Authorization` header is one the fake Graph API accepts. */
  isAuthorized(authorization: string | undefined): boolean {
    const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    return token !== undefined && this.settings.accessTokens.includes(token);
  }

  /** `POST /{version}/{phone-number-id}/messages`. */
  send(phoneNumberId: string, authorization: string | undefined, body: unknown): SendOutcome {
    if (!this.isAuthorized(authorization)) return { ok: false, error: metaErrors.invalidToken() };
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
    const address = request.to.kind === 'phone' ? request.to.waId : request.to.userId;
    const nowMs = this.now().getTime();
    if (!this.throughput.tryTake(phoneNumberId, nowMs)) return { ok: false, error: metaErrors.throughput() };
    const user = this.store.user(address);
    if (!this.pairs.tryTake(user.userId, nowMs)) return { ok: false, error: metaErrors.pairRateLimit() };
    const lastInboundAt = this.store.lastInboundAt(address);
    // Meta's own rule, without the margin wa-broker keeps: the simulator plays Meta.
    const windowOpen = isWindowOpenAtMeta(lastInboundAt && windowExpiresAt(lastInboundAt), this.now());
    // Meta accepts such a send and fails it in a status (whatsapp-cloud-api.md §6); `sync` is a fault.
    if (request.needsOpenWindow && !windowOpen && this.faults.windowErrorMode === 'sync')
      return { ok: false, error: metaErrors.reEngagement() };
    return { ok: true, body: this.accept(request, user, windowOpen) };
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
    user: SimUser,
    windowOpen: boolean,
  ): Record<string, unknown> {
    const wamid = outboundWamid(user.waId ?? user.userId);
    const content = (request.body[request.type] ?? {}) as Record<string, unknown>;
    this.store.add(user.userId, {
      wamid,
      direction: 'out',
      at: this.now().toISOString(),
      type: request.type,
      content,
      status: 'accepted',
      bizOpaqueCallbackData: request.bizOpaqueCallbackData,
    });
    const failWith = request.needsOpenWindow && !windowOpen ? metaErrors.reEngagement() : undefined;
    this.scheduleStatuses(wamid, request.type, user, request.bizOpaqueCallbackData, failWith);
    this.logger.info({ user_id: user.userId, wamid, type: request.type }, 'business message accepted');
    // `input` is `to` (or `recipient`) exactly as sent; the ids are the user's (whatsapp-cloud-api.md §5.1).
    const contact =
      request.to.kind === 'phone'
        ? { input: request.to.input, wa_id: sharedPhone(user) ?? request.to.waId }
        : {
            input: request.to.input,
            ...(sharedPhone(user) ? { wa_id: sharedPhone(user) } : {}),
            user_id: user.userId,
          };
    return { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: wamid }] };
  }

  private scheduleStatuses(
    wamid: string,
    type: string,
    user: SimUser,
    callbackData: string | undefined,
    failWith?: MetaError,
  ): void {
    const error = failWith
      ? { code: failWith.code, title: failWith.title, details: failWith.details }
      : undefined;
    const recipient = addressOf(user);
    const key = this.store.keyOf(user.userId);
    for (const planned of planStatuses(this.settings.statusDelays, {
      autoRead: this.settings.autoRead,
      type,
      ...(error ? { failWith: error } : {}),
    })) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.store.advance(wamid, planned.status, planned.error);
        const update = {
          wamid,
          status: planned.status,
          at: this.now(),
          recipient,
          ...(planned.error ? { error: planned.error } : {}),
          bizOpaqueCallbackData: callbackData,
        };
        this.delivery.enqueue(statusesChange(this.settings.number, [update]), key);
      }, planned.afterMs);
      this.timers.add(timer);
    }
  }
}
