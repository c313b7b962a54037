import { eventually } from '@wa-broker/infra/poll';
import { testKafkaAuth } from '@wa-broker/infra/test-env';
import {
  type AgentOutboundMessage,
  agentOutboundMessage,
  agentOutboundTypes,
} from '@wa-broker/shared/agent-outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, createAgent, OutboundValidationError } from '../src/index.js';
import { brokers, logger, testKafka } from './support/stack.js';

describe('agent senders through real topics', () => {
  let stack: Awaited<ReturnType<typeof testKafka>>;
  let agent: Agent;
  let out: AgentOutboundMessage[];
  const to = '15550002222';

  beforeAll(async () => {
    stack = await testKafka();
    agent = createAgent({
      agent: stack.agentName,
      brokers,
      auth: testKafkaAuth(),
      topics: stack.topics,
      logger,
    });
    await agent.start();
    out = await stack.read<AgentOutboundMessage>(stack.topics.out);
  });

  afterAll(async () => {
    await agent?.stop();
    await stack?.close();
  });

  it('produces every message type on -out, valid per the shared contract, with v 1 and a key', async () => {
    const { send } = agent;
    const sent = [
      await send.text(to, 'plain'),
      await send.list(to, {
        button: 'Options',
        body: 'Pick one',
        title: 'Orders',
        rows: [{ id: 'o1', title: 'Order 1', description: 'shipped' }],
      }),
      await send.buttons(to, {
        body: 'Sure?',
        buttons: [
          { id: 'y', title: 'Yes' },
          { id: 'n', title: 'No' },
        ],
      }),
      await send.template(to, { name: 'order_update', language: 'en_US' }),
      await send.markAsRead(to, 'wamid.IN1'),
      await send.reaction(to, 'wamid.IN1', '👍'),
      await send.media(to, 'image', { id: '9001', caption: 'Your parcel' }),
      await send.media(to, 'audio', { id: '9002', voice: true }),
      await send.media(to, 'video', { id: '9003' }),
      await send.media(to, 'document', { id: '9004', filename: 'invoice.pdf' }),
      await send.media(to, 'sticker', { link: 'https://example.com/s.webp' }),
      await send.endSession(to, 'all done', { idempotencyKey: 'end-1' }),
      await send.transfer(to, 'Sales', 'wants a quote'),
    ];
    await eventually(() => out.length >= sent.length, { timeoutMs: 10_000, what: 'every record' });
    const records = out.map((value) => agentOutboundMessage.parse(value));
    // In the contract's order: a type the contract gains without a sender here fails this test.
    expect(records.map((r) => r.message_type)).toEqual([...agentOutboundTypes]);
    for (const record of records) expect(record).toMatchObject({ v: 1, waID: to });
    expect(records.map((r) => r.idempotency_key)).toEqual(sent.map((s) => s.idempotencyKey));
    expect(new Set(records.map((r) => r.idempotency_key)).size).toBe(records.length);
    expect(records[1]).toMatchObject({
      list_title: 'Options',
      text: 'Pick one',
      list_sections: [{ title: 'Orders' }],
    });
    expect(records[6]).toMatchObject({ media: { id: '9001', caption: 'Your parcel' } });
    expect(records[7]).toMatchObject({ media: { id: '9002', voice: true } });
    expect(records[11]?.idempotency_key).toBe('end-1');
    expect(records[12]).toMatchObject({ transfer_to: 'Sales', reason: 'wants a quote' });
  });

  it('rejects a message over Meta’s limits before producing anything', async () => {
    const before = out.length;
    const tooMany = [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` }));
    await expect(agent.send.buttons(to, { body: 'Pick', buttons: tooMany })).rejects.toThrow(
      new OutboundValidationError('reply buttons need 1 to 3 buttons, got 4', 'buttons'),
    );
    await expect(agent.send.text(to, 'x'.repeat(4097))).rejects.toBeInstanceOf(OutboundValidationError);
    await expect(
      agent.send.list(to, {
        button: 'Open',
        title: 'S',
        rows: [{ id: 'r', title: 'a title longer than 24 chars' }],
      }),
    ).rejects.toThrow(/24/);
    // Same key → same partition, so the marker arriving proves nothing was produced before it.
    await agent.send.text(to, 'marker');
    await eventually(() => out.some((m) => m.text === 'marker'), { timeoutMs: 10_000, what: 'the marker' });
    expect(out.slice(before).map((m) => m.text)).toEqual(['marker']);
  });
});
