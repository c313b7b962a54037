import { agentErrorEvent } from '@wa-broker/shared/agent-errors';
import { agentInboundEvent } from '@wa-broker/shared/agent-inbound';
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

/** What to do when a handler throws: `retry` redelivers the event (default), `skip` commits past it. */
export type HandlerErrorPolicy = (error: unknown, message: InboundByKind[InboundKind]) => 'retry' | 'skip';

export interface Where {
  topic: string;
  partition: number;
  offset: string;
}

export interface DispatcherDeps {
  topics: { in: string; error: string };
  handlers: Handlers;
  dedupe: DedupeStore;
  sender: Sender;
  logger: Logger;
  onHandlerError: HandlerErrorPolicy;
}

/**
 * Turns one decoded record into a typed message and runs its handler. Resolves once the handler resolved and
 * the event id is remembered, so the caller can commit the offset; rethrows a handler's error (policy `retry`)
 * so the record is read again.
 */
export function createDispatcher(deps: DispatcherDeps) {
  return async (value: unknown, where: Where): Promise<void> => {
    const message = typed(value, where);
    if (!message) return;
    const logger = deps.logger.child({ ...where, event_id: message.eventId, kind: message.kind });
    if (await deps.dedupe.has(message.eventId)) {
      logger.debug('duplicate event skipped');
      return;
    }
    const handler = deps.handlers[message.kind] as Handler<InboundKind> | undefined;
    if (handler) {
      const reply = bindReplier(deps.sender, message.waID, message.eventId);
      try {
        await handler(message, { reply, send: deps.sender, logger });
      } catch (error) {
        if (deps.onHandlerError(error, message) === 'retry') {
          logger.warn({ err: error }, 'handler failed, event will be redelivered');
          throw error;
        }
        logger.error({ err: error }, 'handler failed, event skipped');
      }
    }
    await deps.dedupe.add(message.eventId);
  };

  function typed(value: unknown, where: Where): InboundByKind[InboundKind] | null {
    if (where.topic === deps.topics.error) {
      const parsed = agentErrorEvent.safeParse(value);
      if (parsed.success) return toAgentError(parsed.data);
      return unreadable(where, parsed.error.issues);
    }
    const parsed = agentInboundEvent.safeParse(value);
    if (!parsed.success) return unreadable(where, parsed.error.issues);
    return toInboundMessage(parsed.data) ?? unreadable(where, [`${parsed.data.type} without its field`]);
  }

  function unreadable(where: Where, issues: unknown[]): null {
    // The router owns these topics: an event we cannot read is logged and passed, not retried forever.
    deps.logger.warn({ ...where, issues: issues.slice(0, 5) }, 'unreadable agent event skipped');
    return null;
  }
}
