import { type AgentErrorEvent, agentErrorEvent } from '@wa-broker/shared/agent-errors';
import { type AgentInboundEvent, agentInboundEvent } from '@wa-broker/shared/agent-inbound';
import { type AgentOutboundMessage, agentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { userRef } from '@wa-broker/shared/log-privacy';
import type { Logger } from '@wa-broker/shared/logger';
import type { DedupeStore } from './dedupe.js';
import { type InboundByKind, type InboundKind, toAgentError, toInboundMessage } from './messages.js';
import { bindReplier, type Replier, type Sender } from './sender.js';

export interface HandlerContext {
  /** Senders bound to this event's user, with idempotency keys derived from the event id. */
  reply: Replier;
  /** Senders to any user (random idempotency keys unless given). */
  send: Sender;
  /** A child logger with the event's ids. */
  logger: Logger;
}

export type Handler<K extends InboundKind> = (
  message: InboundByKind[K],
  context: HandlerContext,
) => unknown | Promise<unknown>;
export type Handlers = { [K in InboundKind]?: Handler<K> };

/** Any event that matches the shared contract, exactly as received, and the topic it came from. */
export type AgentEvent =
  | { source: 'in'; event: AgentInboundEvent }
  | { source: 'error'; event: AgentErrorEvent };

/**
 * Sees every event that matches the contract, before its kind's handler; also the ones whose typed view is
 * missing (a media type without `media`, a status without `status`), which reach no kind handler.
 */
export type EventHandler = (event: AgentEvent, context: HandlerContext) => unknown | Promise<unknown>;

/**
 * Sees each message on the agent's own `-out` topic (what any instance of the agent sent, this one included),
 * at least once: a resent message (same idempotency key) and a redelivered record both come again.
 */
export type OutboundHandler = (
  message: AgentOutboundMessage,
  context: { logger: Logger; where: Where },
) => unknown | Promise<unknown>;

/** What to do when a handler throws: `retry` redelivers the event (default), `skip` commits past it. */
export type HandlerErrorPolicy = (error: unknown, message: InboundByKind[InboundKind]) => 'retry' | 'skip';

export interface Where {
  topic: string;
  partition: number;
  offset: string;
}

export interface DispatcherDeps {
  topics: { in: string; error: string; out?: string };
  handlers: Handlers;
  /** Read at each event, so `agent.onEvent` may be called after the dispatcher is made. */
  eventHandler?: () => EventHandler | undefined;
  /** Read at each `-out` record; records of the `out` topic go only to it. */
  outboundHandler?: () => OutboundHandler | undefined;
  dedupe: DedupeStore;
  sender: Sender;
  logger: Logger;
  onHandlerError: HandlerErrorPolicy;
  onUnreadable?: (where: Where, issues: unknown[]) => void;
}

/**
 * Turns one decoded record into a typed message and runs its handlers. Resolves once they resolved and the
 * event id is remembered, so the caller can commit the offset; rethrows a handler's error (policy `retry`)
 * so the record is read again.
 */
export function createDispatcher(deps: DispatcherDeps) {
  return async (value: unknown, where: Where): Promise<void> => {
    if (deps.topics.out !== undefined && where.topic === deps.topics.out) return outbound(value, where);
    const raw = parse(value, where);
    if (!raw) return;
    const message = raw.source === 'error' ? toAgentError(raw.event) : toInboundMessage(raw.event);
    const onEvent = deps.eventHandler?.();
    if (!message && !onEvent) {
      unreadable(where, [`${(raw.event as AgentInboundEvent).type} without its field`]);
      return;
    }
    const eventId = raw.event.event_id;
    const kind = message?.kind ?? (raw.event as AgentInboundEvent).type;
    const logger = deps.logger.child({ ...where, event_id: eventId, kind, user: userRef(raw.event.waID) });
    if (await deps.dedupe.has(eventId)) {
      logger.debug('duplicate event skipped');
      return;
    }
    const reply = bindReplier(deps.sender, raw.event.waID, eventId, raw.event.phone_number_id);
    const context = { reply, send: deps.sender, logger };
    try {
      if (onEvent) await onEvent(raw, context);
      const handler = message ? (deps.handlers[message.kind] as Handler<InboundKind> | undefined) : undefined;
      if (message && handler) await handler(message, context);
    } catch (error) {
      // An event without a typed view has nothing to hand the policy: it is read again, like the default.
      if (!message || deps.onHandlerError(error, message) === 'retry') {
        logger.warn({ err: error }, 'handler failed, event will be redelivered');
        throw error;
      }
      logger.error({ err: error }, 'handler failed, event skipped');
    }
    await deps.dedupe.add(eventId);
  };

  // Our own messages: no event id to dedupe by; a throwing handler makes the record come again.
  async function outbound(value: unknown, where: Where): Promise<void> {
    const handler = deps.outboundHandler?.();
    const parsed = agentOutboundMessage.safeParse(value);
    if (!parsed.success) return void unreadable(where, parsed.error.issues);
    const { idempotency_key, message_type } = parsed.data;
    if (handler)
      await handler(parsed.data, {
        logger: deps.logger.child({
          ...where,
          idempotency_key,
          message_type,
          user: userRef(parsed.data.waID),
        }),
        where,
      });
  }

  function parse(value: unknown, where: Where): AgentEvent | null {
    if (where.topic === deps.topics.error) {
      const parsed = agentErrorEvent.safeParse(value);
      if (parsed.success) return { source: 'error', event: parsed.data };
      return unreadable(where, parsed.error.issues);
    }
    const parsed = agentInboundEvent.safeParse(value);
    if (parsed.success) return { source: 'in', event: parsed.data };
    return unreadable(where, parsed.error.issues);
  }

  function unreadable(where: Where, issues: unknown[]): null {
    // The router owns these topics: an event we cannot read is logged and passed, not retried forever.
    deps.logger.warn({ ...where, issues: issues.slice(0, 5) }, 'unreadable agent event skipped');
    deps.onUnreadable?.(where, issues);
    return null;
  }
}
