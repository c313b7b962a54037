import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import { type AgentOutboundMessage, agentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createAgent, type InboundByKind, isWindowOpen } from '../src/index.js';
import { agentError, brokers, inbound, logger, testKafka } from './support/stack.js';

type Seen = { [K in keyof InboundByKind]?: InboundByKind[K] };

describe('agent handlers through real topics', () => {
  let stack: Awaited<ReturnType<typeof testKafka>>;
  let agent: Agent;
  let out: AgentOutboundMessage[];
  const seen: Seen = {};
  const calls: Record<string, number> = {};
  let failOnce = true;

  beforeAll(async () => {
    stack = await testKafka();
    agent = createAgent({
      agent: stack.agentName,
      brokers,
      auth: testKafkaAuth(),
      topics: stack.topics,
      logger,
    });
    const remember = <K extends keyof InboundByKind>(kind: K) => {
      return (message: InboundByKind[K]) => {
        (seen as Record<string, unknown>)[kind] = message;
        calls[kind] = (calls[kind] ?? 0) + 1;
      };
    };
    agent
      .on('text', async (message, { reply }) => {
        remember('text')(message);
        await reply.text(`echo: ${message.text}`, { replyTo: message.wamid });
      })
      .on('reply', async (message, { reply }) => {
        remember('reply')(message);
        calls.replyAttempts = (calls.replyAttempts ?? 0) + 1;
        if (failOnce) {
          failOnce = false;
          throw new Error('transient failure');
        }
        await reply.buttons({
          body: `you chose ${message.reply.title}`,
          buttons: [{ id: 'ok', title: 'OK' }],
        });
      })
      .on('media', remember('media'))
      .on('media_stored', remember('media_stored'))
      .on('location', remember('location'))
      .on('contacts', remember('contacts'))
      .on('reaction', remember('reaction'))
      .on('unsupported', remember('unsupported'))
      .on('status', remember('status'))
      .on('session_started', remember('session_started'))
      .on('session_ended', remember('session_ended'))
      .on('error', remember('error'));
    await agent.start();
    out = await stack.read<AgentOutboundMessage>(stack.topics.out);
  });

  afterAll(async () => {
    await agent?.stop();
    await stack?.close();
  });

  it('hands each inbound kind to its typed handler, with the window expiry', async () => {
    const text = inbound('text', { text: 'hello', wamid: 'wamid.T1' });
    await stack.produce(stack.topics.in, [
      inbound('session_started', { session: { reason: 'menu_choice' } }),
      text,
      inbound('image', { media: { id: 'media-1', mime_type: 'image/jpeg', caption: 'cat' } }),
      inbound('media_stored', {
        media: {
          id: 'media-1',
          type: 'image',
          path: '/v1/media/1/media-1',
          size: 2048,
          sha256: 'ab'.repeat(32),
        },
      }),
      inbound('location', { location: { latitude: 52.5, longitude: 13.4, name: 'Berlin' } }),
      inbound('contacts', { contacts: [{ name: { formatted_name: 'Bob' } }] }),
      inbound('reaction', { reaction: { message_id: 'wamid.OUT1', emoji: '👍' } }),
      inbound('unsupported'),
      inbound('status', { status: { wamid: 'wamid.OUT1', status: 'read', idempotency_key: 'k-1' } }),
      inbound('session_ended', { session: { reason: 'user_exit' } }),
    ]);
    await stack.produce(stack.topics.error, [agentError()]);
    const kinds = [
      'session_started',
      'text',
      'media',
      'media_stored',
      'location',
      'contacts',
      'reaction',
      'unsupported',
      'status',
      'session_ended',
      'error',
    ] as const;
    await eventually(() => kinds.every((kind) => seen[kind]), { timeoutMs: 20_000, what: 'every kind' });

    expect(seen.text?.text).toBe('hello');
    expect(seen.text?.windowExpiresAt).toEqual(new Date(text.window_expires_at ?? ''));
    expect(seen.text && isWindowOpen(seen.text, new Date(text.timestamp))).toBe(true);
    expect(seen.media).toMatchObject({ mediaType: 'image', media: { id: 'media-1', caption: 'cat' } });
    expect(seen.media_stored?.media).toMatchObject({ id: 'media-1', type: 'image', size: 2048 });
    expect(seen.location?.location.name).toBe('Berlin');
    expect(seen.contacts?.contacts).toHaveLength(1);
    expect(seen.reaction?.reaction.emoji).toBe('👍');
    expect(seen.status?.status).toMatchObject({ status: 'read', idempotency_key: 'k-1' });
    expect(seen.session_started?.session?.reason).toBe('menu_choice');
    expect(seen.session_ended?.session?.reason).toBe('user_exit');
    expect(seen.error).toMatchObject({ code: 'window_closed', idempotencyKey: 'k-1' });

    await eventually(() => out.some((m) => m.text === 'echo: hello'), {
      timeoutMs: 10_000,
      what: 'the echo on -out',
    });
    const echo = out.find((m) => m.text === 'echo: hello');
    expect(agentOutboundMessage.parse(echo)).toMatchObject({
      v: 1,
      waID: '15550001111',
      message_type: 'text',
      context_message_id: 'wamid.T1',
      idempotency_key: `${text.event_id}:0`,
    });
  });

  it('handles a redelivered event (same event_id) once', async () => {
    const event = inbound('text', { text: 'twice' });
    await stack.produce(stack.topics.in, [event, event]);
    await eventually(() => out.some((m) => m.text === 'echo: twice'), {
      timeoutMs: 10_000,
      what: 'the echo',
    });
    const marker = inbound('text', { text: 'marker' });
    await stack.produce(stack.topics.in, [marker]);
    await eventually(() => out.some((m) => m.text === 'echo: marker'), {
      timeoutMs: 10_000,
      what: 'the marker',
    });
    expect(out.filter((m) => m.text === 'echo: twice')).toHaveLength(1);
  });

  it('reads an event again when its handler throws, and replies once it succeeds', async () => {
    await stack.produce(stack.topics.in, [
      inbound('button_reply', { text: 'b1', reply: { id: 'b1', title: 'First' } }),
    ]);
    await eventually(() => out.some((m) => m.text === 'you chose First'), {
      timeoutMs: 20_000,
      what: 'the retried reply',
    });
    expect(calls.replyAttempts).toBe(2);
    expect(out.filter((m) => m.text === 'you chose First')).toHaveLength(1);
  });
});
