import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { describe, expect, it } from 'vitest';
import { bindReplier, createSender, idempotencyKeyOf } from './sender.js';
import { OutboundValidationError } from './validate.js';

function recording() {
  const produced: AgentOutboundMessage[] = [];
  const sender = createSender(async (message) => void produced.push(message));
  return { produced, sender };
}

describe('senders', () => {
  it('always set v 1 and an idempotency key', async () => {
    const { produced, sender } = recording();
    await sender.text('u1', 'hello');
    await sender.endSession('u1', 'done', { idempotencyKey: 'mine' });
    expect(produced[0]).toMatchObject({ v: 1, waID: 'u1', message_type: 'text', text: 'hello' });
    expect(produced[0]?.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(produced[1]).toMatchObject({
      message_type: 'end_session',
      reason: 'done',
      idempotency_key: 'mine',
    });
  });

  it('sends a typing indicator as a read receipt with typing_indicator (issue 20 §3)', async () => {
    const { produced, sender } = recording();
    await bindReplier(sender, 'u1', 'wamid.7').typing('wamid.7');
    expect(produced[0]).toMatchObject({
      waID: 'u1',
      message_type: 'mark_as_read',
      context_message_id: 'wamid.7',
      typing_indicator: true,
      idempotency_key: 'wamid.7:0',
    });
  });

  it('sends media by upload id, and refuses what the type cannot carry before producing (issue 18 §3)', async () => {
    const { produced, sender } = recording();
    const reply = bindReplier(sender, 'u1', 'wamid.9', '106540352242922');
    await reply.media('audio', { id: '901', voice: true });
    expect(produced[0]).toMatchObject({
      waID: 'u1',
      message_type: 'audio',
      media: { id: '901', voice: true },
      phone_number_id: '106540352242922',
      idempotency_key: 'wamid.9:0',
    });
    await expect(sender.media('u1', 'sticker', { id: '902', caption: 'no' })).rejects.toBeInstanceOf(
      OutboundValidationError,
    );
    expect(produced).toHaveLength(1);
  });

  it('rejects an invalid message without producing it', async () => {
    const { produced, sender } = recording();
    await expect(sender.buttons('u1', { body: 'Pick', buttons: [] })).rejects.toBeInstanceOf(
      OutboundValidationError,
    );
    expect(produced).toEqual([]);
  });

  it('derives replies keys from the event id, so a redelivery repeats them', async () => {
    const { produced, sender } = recording();
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = bindReplier(sender, 'u1', 'wamid.X');
      await reply.text('one');
      await reply.list({ button: 'Open', title: 'S', rows: [{ id: 'a', title: 'A' }] });
    }
    expect(produced.map((m) => m.idempotency_key)).toEqual([
      'wamid.X:0',
      'wamid.X:1',
      'wamid.X:0',
      'wamid.X:1',
    ]);
  });

  it('sends a ready -out body as given, validated like the typed senders', async () => {
    const { produced, sender } = recording();
    const list = { message_type: 'list' as const, list_title: 'Plans', list_body: 'Plans', text: 'Pick' };
    await sender.message(
      'u1',
      { ...list, list_items: [{ id: 'basic', title: 'Basic' }] },
      { idempotencyKey: 'op-1' },
    );
    expect(produced).toEqual([
      { v: 1, waID: 'u1', idempotency_key: 'op-1', ...list, list_items: [{ id: 'basic', title: 'Basic' }] },
    ]);
    await expect(sender.message('u1', { ...list, list_items: [] })).rejects.toBeInstanceOf(
      OutboundValidationError,
    );
    expect(produced).toHaveLength(1);
  });

  it('hashes keys that would exceed the contract’s 200 characters', () => {
    expect(idempotencyKeyOf('a'.repeat(300), '0')).toMatch(/^h:[0-9a-f]{64}$/);
    expect(idempotencyKeyOf('a', '0')).toBe('a:0');
  });
});
