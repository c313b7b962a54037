import { userRef } from '@wa-broker/shared/log-privacy';
import type { Logger } from '@wa-broker/shared/logger';
import type { TemplateCategory } from '@wa-broker/shared/message-templates';
import { metaLimits } from '@wa-broker/shared/meta-limits';
import type { MessagePricing } from '@wa-broker/shared/pricing';
import { isWindowOpenAtMeta, windowExpiresAt } from '@wa-broker/shared/reply-window';
import type { WebhookDelivery } from './adapters/webhook-delivery.js';
import type { ConversationStore } from './conversation-store.js';
import type { NumberDirectory, SimNumber } from './domain/business-numbers.js';
import { outboundWamid } from './domain/ids.js';
import { type MetaError, metaErrors } from './domain/meta-errors.js';
import { pricingOf } from './domain/pricing.js';
import { NumberThroughput, PairLimiter } from './domain/rate-limits.js';
import { type SendRequest, validateSendRequest } from './domain/send-validation.js';
import { planStatuses, type StatusDelays } from './domain/status-plan.js';
import type { RenderedTemplate } from './domain/template-send.js';
import { addressOf, type SimUser, sharedPhone, statusesChange } from './domain/webhook-payloads.js';
import type { MediaStore } from './media-store.js';
import type { MessageTemplates } from './message-templates.js';
import { isMediaType, OutboundMedia } from './outbound-media.js';

export type WindowErrorMode = 'sync' | 'async';
type MediaPayload = Record<string, unknown>;

export interface SimulatorSettings {
  /** The business numbers, each with its tokens and throughput. */
  numbers: NumberDirectory;
  pairBurst: number;
  pairPerSecond: number;
  statusDelays: StatusDelays;
  autoRead: boolean;
  /** The media Meta holds: what the numbers uploaded and what users sent them. */
  media: MediaStore;
  /** Every WABA's templates: a template send is checked against its number's WABA's. */
  templates: MessageTemplates;
  /** Statuses' `pricing` by the rule before 2026-10-01 (in-window service replies free); see pricing.ts. */
  freeServiceReplies: boolean;
  /** How Meta downloads a send's `link` (default: fetch). */
  fetchLink?: (url: string) => Promise<Response>;
}

/** A template send Meta accepted: its category (for `pricing`) and the texts the phone shows. */
interface SentTemplate {
  category: TemplateCategory;
  rendered: RenderedTemplate;
}

/** What each status of an accepted send says. */
interface StatusSubject {
  number: SimNumber;
  wamid: string;
  type: string;
  user: SimUser;
  callbackData: string | undefined;
  pricing: MessagePricing;
}

export type SendOutcome = { ok: true; body: Record<string, unknown> } | { ok: false; error: MetaError };

/**
 * Test and demo faults: the next N sends fail with a code; responses are slowed down; a free-form send outside
 * the window is refused synchronously (`sync`, harsher than Meta) instead of failing in a status (`async`).
 */
export interface SendFaults {
  failNext: { code: number; remaining: number }[];
  responseDelayMs: number;
  windowErrorMode: WindowErrorMode;
}

/**
 * Meta's Cloud API as seen from the broker: accepts sends on each business number and reports their statuses
 * with the sending number's metadata. Throughput is per number, the pair limit and the 24 h window per
 * (number, user).
 */
export class WhatsAppSimulator {
  readonly faults: SendFaults = { failNext: [], responseDelayMs: 0, windowErrorMode: 'async' };
  /**
   * Sends refused by the limits themselves (not injected faults): 130429 over a number's throughput, 131056 over
   * a pair's, since start or the last reset (`GET /sim/stats`).
   */
  readonly refused = { throughput: 0, pair: 0 };
  /** One sliding window per number, at its own rate. */
  private readonly throughput = new Map<string, NumberThroughput>();
  private readonly pairs: PairLimiter;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Media messages whose file Meta is still fetching (a link) before it reports their statuses. */
  private readonly fetching = new Set<Promise<void>>();
  private readonly outbound: OutboundMedia;
  private closed = false;

  constructor(
    private readonly settings: SimulatorSettings,
    private readonly store: ConversationStore,
    private readonly delivery: WebhookDelivery,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const number of settings.numbers.all)
      this.throughput.set(number.phoneNumberId, new NumberThroughput(number.throughputPerSecond));
    this.pairs = new PairLimiter({ capacity: settings.pairBurst, refillPerSecond: settings.pairPerSecond });
    this.outbound = new OutboundMedia(settings.media, settings.fetchLink);
  }

  /** Whether the user sees the business "typing…" in the chat with the number now, and until when. */
  typingOf(address: string, phoneNumberId: string): { typing: boolean; until: string | null } {
    const until = this.store.typingUntil(address, phoneNumberId, this.now());
    return { typing: until !== null, until: until ? until.toISOString() : null };
  }

  /** `POST /{version}/{phone-number-id}/messages` on any configured number, with that number's token. */
  send(phoneNumberId: string, authorization: string | undefined, body: unknown): SendOutcome {
    const access = this.settings.numbers.access(phoneNumberId, authorization);
    if (!access.ok) return access;
    const number = access.number;
    const injected = this.takeInjectedFault();
    if (injected) return { ok: false, error: injected };
    const validation = validateSendRequest(body);
    if (!validation.ok) return validation;
    const request = validation.request;
    if (request.kind === 'mark_read') {
      // With `typing_indicator`, the user sees "typing…" until the reply or 25 s (meta-2026-changes.md §1.4).
      const typingUntil = request.typing
        ? new Date(this.now().getTime() + metaLimits.typingIndicatorSeconds * 1000)
        : undefined;
      if (!this.store.markReadByBusiness(request.messageId, phoneNumberId, typingUntil))
        return { ok: false, error: metaErrors.parameterValueInvalid('Unknown message_id') };
      return { ok: true, body: { success: true } };
    }
    if (isMediaType(request.type)) {
      const refusal = this.outbound.check(number, request.type, request.body[request.type] as MediaPayload);
      if (refusal) return { ok: false, error: refusal };
    }
    let template: SentTemplate | undefined;
    if (request.type === 'template') {
      // Refused at once, as Meta answers 132000/132001/132012/132015 (whatsapp-cloud-api.md §5.5, §7.3).
      const checked = this.settings.templates.checkSend(
        number.wabaId,
        request.body.template as Record<string, unknown>,
      );
      if (!checked.ok) return checked;
      template = { category: checked.template.category, rendered: checked.rendered };
    }
    const address = request.to.kind === 'phone' ? request.to.waId : request.to.userId;
    const nowMs = this.now().getTime();
    if (!this.throughput.get(phoneNumberId)?.tryTake(phoneNumberId, nowMs)) {
      this.refused.throughput += 1;
      return { ok: false, error: metaErrors.throughput() };
    }
    const user = this.store.user(address);
    if (!this.pairs.tryTake(`${phoneNumberId}:${user.userId}`, nowMs)) {
      this.refused.pair += 1;
      return { ok: false, error: metaErrors.pairRateLimit() };
    }
    const lastInboundAt = this.store.lastInboundAt(address, phoneNumberId);
    // Meta's own rule, without the margin wa-broker keeps: the simulator plays Meta.
    const windowOpen = isWindowOpenAtMeta(lastInboundAt && windowExpiresAt(lastInboundAt), this.now());
    // Meta accepts such a send and fails it in a status (whatsapp-cloud-api.md §6); `sync` is a fault.
    if (request.needsOpenWindow && !windowOpen && this.faults.windowErrorMode === 'sync')
      return { ok: false, error: metaErrors.reEngagement() };
    return { ok: true, body: this.accept(number, request, user, windowOpen, template) };
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  idle(): boolean {
    return this.timers.size === 0 && this.fetching.size === 0;
  }

  resetLimits(): void {
    for (const window of this.throughput.values()) window.reset();
    this.pairs.reset();
    this.refused.throughput = 0;
    this.refused.pair = 0;
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
    number: SimNumber,
    request: Extract<SendRequest, { kind: 'message' }>,
    user: SimUser,
    windowOpen: boolean,
    template?: SentTemplate,
  ): Record<string, unknown> {
    const wamid = outboundWamid(user.waId ?? user.userId);
    const content = (request.body[request.type] ?? {}) as Record<string, unknown>;
    this.store.add(user.userId, {
      wamid,
      phone_number_id: number.phoneNumberId,
      direction: 'out',
      at: this.now().toISOString(),
      type: request.type,
      content,
      status: 'accepted',
      bizOpaqueCallbackData: request.bizOpaqueCallbackData,
      ...(template ? { template: template.rendered } : {}),
    });
    const failWith = request.needsOpenWindow && !windowOpen ? metaErrors.reEngagement() : undefined;
    const type = request.type;
    const callbackData = request.bizOpaqueCallbackData;
    const pricing = pricingOf(
      { windowOpen, ...(template ? { templateCategory: template.category } : {}) },
      this.settings.freeServiceReplies,
    );
    const status = { number, wamid, type, user, callbackData, pricing };
    if (isMediaType(type) && !failWith) {
      // Meta fetches the file after accepting the send; its statuses follow once it has it (or could not).
      const fetched = this.outbound.deliver(number, type, content).then((delivered) => {
        this.fetching.delete(fetched);
        if (this.closed) return;
        if (delivered.ok) this.store.setMedia(wamid, delivered.media);
        const error = delivered.ok ? undefined : delivered.error;
        this.scheduleStatuses(status, error);
      });
      this.fetching.add(fetched);
    } else this.scheduleStatuses(status, failWith);
    this.logger.info(
      { phone_number_id: number.phoneNumberId, user: userRef(user.userId), wamid, type: request.type },
      'business message accepted',
    );
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

  private scheduleStatuses(send: StatusSubject, failWith?: MetaError): void {
    const { number, wamid, type, user, callbackData, pricing } = send;
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
          // A failed message is not charged: Meta's failed statuses carry no pricing.
          ...(planned.status === 'failed' ? {} : { pricing }),
          bizOpaqueCallbackData: callbackData,
        };
        this.delivery.enqueue({ wabaId: number.wabaId, change: statusesChange(number, [update]) }, key);
      }, planned.afterMs);
      this.timers.add(timer);
    }
  }
}
