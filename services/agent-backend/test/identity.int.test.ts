import { eventually } from '@wa-broker/infra/poll';
import type { ServerFrameOf } from '@wa-broker/shared/operator-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundText } from './support/events.js';
import { createHarness, type Harness, operatorToken } from './support/harness.js';
import { connectOperator, frame, type OperatorClient } from './support/operator-client.js';

/**
 * One user, one conversation (issue 17): the inbox shows the username, the phone when Meta shares it and the
 * number written to, and an identity change (meta-2026-changes.md §1.2) joins the history under the new key.
 */
let harness: Harness;
let operator: OperatorClient;
let url: string;
const before = 'US.10101010101010101010';
const after = 'US.20202020202020202020';

beforeAll(async () => {
  harness = await createHarness();
  ({ url } = await harness.startInstance());
  operator = await connectOperator(url);
});

afterAll(async () => {
  operator?.close();
  await harness?.close();
});

const list = async () =>
  ((await operator.request(frame({ type: 'list_conversations' }))) as ServerFrameOf<'conversations'>)
    .conversations;

describe('who the user is', () => {
  it('lists a username-only user by BSUID with username and number, phone absent', async () => {
    await harness.produceInbound(
      inboundText(before, 'hello', {
        user: { user_id: before, username: 'jane.doe', name: 'Jane' },
        phone_number_id: '1065',
        display_phone_number: '+1 555 0100',
      }),
    );
    const conversation = await eventually(async () => (await list()).find((c) => c.wa_id === before));
    expect(conversation).toMatchObject({
      name: 'Jane',
      username: 'jane.doe',
      phone_number_id: '1065',
      display_phone_number: '+1 555 0100',
    });
    expect(conversation.phone).toBeUndefined();
  });

  it('moves the history to the new key on identity_changed, pushes the move, and keeps one conversation', async () => {
    await harness.produceInbound(
      inboundText(before, 'second', {
        user: { user_id: before, username: 'jane.doe' },
        phone_number_id: '1065',
      }),
    );
    await eventually(
      async () => (await list()).find((c) => c.wa_id === before)?.last_message?.text === 'second',
    );
    // Issue 20: the operator answering the user and their notes follow the user to the new key.
    const claimed = await operator.request(frame({ type: 'claim', wa_id: before }));
    expect(claimed).toMatchObject({ type: 'assignment' });
    const assignee = claimed.type === 'assignment' ? claimed.assignee : null;
    await operator.request(frame({ type: 'add_note', wa_id: before, text: 'prefers English' }));
    const change = inboundText(after, '', {
      type: 'identity_changed',
      event_id: 'wamid.sys:identity_changed:A',
      wamid: undefined,
      user: { user_id: after, wa_id: '15550002222', username: 'jane.doe' },
      phone_number_id: '1065',
      identity: { reason: 'user_changed_number', previous_waID: before },
    });
    await harness.produceInbound(change);
    await harness.produceInbound(change); // Kafka redelivers: nothing moves twice
    await harness.produceInbound(
      inboundText(after, 'third', {
        user: { user_id: after, wa_id: '15550002222' },
        phone_number_id: '1065',
      }),
    );
    const moved = await operator.waitForFrame((f) => f.type === 'conversation_moved');
    expect(moved).toMatchObject({ from: before, to: after });
    await eventually(
      async () => (await list()).find((c) => c.wa_id === after)?.last_message?.text === 'third',
    );
    const conversations = (await list()).filter((c) => c.wa_id === before || c.wa_id === after);
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({
      wa_id: after,
      phone: '15550002222',
      username: 'jane.doe',
      assignee,
    });
    const notes = await operator.request(frame({ type: 'list_notes', wa_id: after }));
    expect(notes.type === 'notes' && notes.notes.map((n) => n.text)).toEqual(['prefers English']);
    const history = (await operator.request(
      frame({ type: 'get_history', wa_id: after }),
    )) as ServerFrameOf<'history'>;
    expect(history.messages.map((m) => [m.type, m.text])).toEqual([
      ['text', 'hello'],
      ['text', 'second'],
      ['identity_changed', 'The user changed their WhatsApp number; the conversation continues.'],
      ['text', 'third'],
    ]);
  });

  it('files an event under the old key that is read after the move in the moved conversation', async () => {
    const late = inboundText(before, 'late', { user: { user_id: before }, phone_number_id: '1065' });
    await harness.produceInbound(late);
    await eventually(async () => {
      const history = (await operator.request(
        frame({ type: 'get_history', wa_id: after }),
      )) as ServerFrameOf<'history'>;
      return history.messages.some((m) => m.id === late.event_id);
    });
    expect((await list()).filter((c) => c.wa_id === before)).toEqual([]);
  });

  it('finds a conversation by the user’s phone, for operators and scripts that know phones', async () => {
    const response = await fetch(`${url.replace(/^ws/, 'http')}/api/conversations/15550002222/messages`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    const body = (await response.json()) as { wa_id: string; messages: { text: string }[] };
    expect(body.wa_id).toBe(after);
    expect(body.messages.map((m) => m.text)).toContain('third');
    const history = (await operator.request(
      frame({ type: 'get_history', wa_id: before }),
    )) as ServerFrameOf<'history'>;
    expect(history.wa_id).toBe(after); // the key it had before the change leads to the moved conversation
  });
});
