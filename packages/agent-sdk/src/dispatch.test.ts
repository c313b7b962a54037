import type { AgentInboundEvent } from '@wa-broker/shared/agent-inbound';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { createLogger } from '@wa-broker/shared/logger';
import { describe, expect, it } from 'vitest';
import { memoryDedupeStore } from './dedupe.js';
import {
  type AgentEvent,
  createDispatcher,
  type Handlers,
  type OutboundHandler,
  type Where,
} from './dispatch.js';
import { createSender } from './sender.js';

const topics = { in: 'a-in', error: 'a-error', out: 'a-out' };
const at = (topic: string, offset = '0'): Where => ({ topic, partition: 0, offset });
const logger = createLogger({ service: 'dispatch-test', level: 'silent' });

function event(type: AgentInboundEvent['type'], fields: Partial<AgentInboundEvent> = {}): AgentInboundEvent {
  return {
    v: 1,
    event_id: `e-${type}`,
    waID: 'u1',
    type,
    text: '',
    raw_payload: null,
    agent: 'A',
    user: { wa_id: 'u1' },
    timestamp: '2026-03-01T12:00:00Z',
    window_expires_at: null,
    ...fields,
  };
}

function dispatcher(
  options: { handlers?: Handlers; onEvent?: (event: AgentEvent) => void; onOutbound?: OutboundHandler } = {},
) {
  const unreadable: Where[] = [];
  const { onEvent, onOutbound } = options;
  const dispatch = createDispatcher({
    topics,
    handlers: options.handlers ?? {},
    eventHandler: () => (onEvent ? (raw) => onEvent(raw) : undefined),
    outboundHandler: () => onOutbound,
    dedupe: memoryDedupeStore(),
    sender: createSender(async () => undefined),
    logger,
    onHandlerError: () => 'skip',
    onUnreadable: (where) => void unreadable.push(where),
  });
  return { dispatch, unreadable };
}

describe('createDispatcher', () => {
  // Issue 17: replies leave from the number the user wrote to; a changed key is announced with the old one.
  it('replies from the number the user wrote to, and types identity_changed with the previous key', async () => {
    const produced: AgentOutboundMessage[] = [];
    const changes: string[] = [];
    const dispatch = createDispatcher({
      topics,
      handlers: {
        text: (message, ctx) => void ctx.reply.text(`hi ${message.phoneNumberId}`),
        identity_changed: (message) => void changes.push(`${message.identity.previous_waID}→${message.waID}`),
      },
      eventHandler: () => undefined,
      outboundHandler: () => undefined,
      dedupe: memoryDedupeStore(),
      sender: createSender(async (message) => void produced.push(message)),
      logger,
      onHandlerError: () => 'skip',
      onUnreadable: () => undefined,
    });
    await dispatch(event('text', { text: 'hi', phone_number_id: '1065' }), at(topics.in));
    await dispatch(
      event('identity_changed', {
        waID: 'US.2',
        identity: { reason: 'user_changed_number', previous_waID: 'US.1' },
      }),
      at(topics.in, '1'),
    );
    expect(produced).toMatchObject([{ waID: 'u1', text: 'hi 1065', phone_number_id: '1065' }]);
    expect(changes).toEqual(['US.1→US.2']);
  });

  it('hands every contract event to onEvent, before its kind handler, once per event id', async () => {
    const order: string[] = [];
    const { dispatch } = dispatcher({
      onEvent: (raw) => void order.push(`event:${raw.source}:${raw.event.event_id}`),
      handlers: { text: (message) => void order.push(`text:${message.text}`) },
    });
    await dispatch(event('text', { text: 'hi' }), at(topics.in));
    await dispatch(event('text', { text: 'hi' }), at(topics.in, '1'));
    const error = {
      v: 1,
      event_id: 'err-1',
      waID: 'u1',
      text: 'no',
      raw_payload: null,
      code: 'window_closed',
    };
    await dispatch({ ...error, agent: 'A', timestamp: '2026-03-01T12:00:00Z' }, at(topics.error));
    expect(order).toEqual(['event:in:e-text', 'text:hi', 'event:error:err-1']);
  });

  it('gives onEvent the events whose kind misses its field; without onEvent they are unreadable', async () => {
    const seen: AgentEvent[] = [];
    const withHook = dispatcher({ onEvent: (raw) => void seen.push(raw) });
    await withHook.dispatch(event('image'), at(topics.in));
    expect(seen.map((raw) => raw.source === 'in' && raw.event.type)).toEqual(['image']);
    expect(withHook.unreadable).toEqual([]);

    const without = dispatcher({ handlers: { media: () => undefined } });
    await without.dispatch(event('image'), at(topics.in, '7'));
    expect(without.unreadable).toEqual([at(topics.in, '7')]);
  });

  it('reports records that do not match the contract to onUnreadable', async () => {
    const { dispatch, unreadable } = dispatcher({ onEvent: () => undefined });
    await dispatch({ hello: 'world' }, at(topics.error, '3'));
    expect(unreadable).toEqual([at(topics.error, '3')]);
  });

  it('reads an event again when onEvent throws and it has no typed view', async () => {
    const { dispatch } = dispatcher({
      onEvent: () => {
        throw new Error('store down');
      },
    });
    await expect(dispatch(event('status'), at(topics.in))).rejects.toThrow('store down');
  });

  it('hands `-out` records to the outbound handler only, and reports unreadable ones', async () => {
    const sent: string[] = [];
    const events: AgentEvent[] = [];
    const { dispatch, unreadable } = dispatcher({
      onEvent: (raw) => void events.push(raw),
      onOutbound: (message, { where }) => void sent.push(`${message.idempotency_key}@${where.offset}`),
    });
    const reply = { v: 1, waID: 'u1', message_type: 'text', text: 'hi', idempotency_key: 'k-1' };
    await dispatch(reply, at(topics.out, '4'));
    await dispatch(reply, at(topics.out, '5')); // a resend: no dedupe, the handler decides
    await dispatch({ waID: 'u1', message_type: 'shout' }, at(topics.out, '6'));
    expect(sent).toEqual(['k-1@4', 'k-1@5']);
    expect(events).toEqual([]);
    expect(unreadable).toEqual([at(topics.out, '6')]);
  });
});
