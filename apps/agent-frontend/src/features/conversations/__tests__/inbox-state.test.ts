import { describe, expect, it } from 'vitest';
import { emptyInbox, inboxReducer } from '../hooks/inbox-state.js';
import { conversation, message } from './fixtures.js';

const withHistory = inboxReducer(
  inboxReducer(emptyInbox, {
    type: 'conversations',
    frame: { v: 1, type: 'conversations', next_before: null, conversations: [conversation()] },
  }),
  {
    type: 'history',
    older: false,
    frame: {
      v: 1,
      type: 'history',
      wa_id: '5511',
      next_before: null,
      messages: [message({ id: 'k1', direction: 'out', status: 'pending' })],
    },
  },
);

const status = (value: 'sent' | 'delivered' | 'read' | 'failed') =>
  ({ v: 1, type: 'status', wa_id: '5511', message_id: 'k1', status: value, timestamp: '' }) as const;

describe('inboxReducer', () => {
  it('gives a user’s file its size once the media service stored it, and only that file', () => {
    const photo = message({ id: 'wamid.P', wamid: 'wamid.P', media: { id: 'm1', mime_type: 'image/jpeg' } });
    const other = message({ id: 'wamid.Q', wamid: 'wamid.Q', media: { id: 'm2' } });
    let state = inboxReducer(withHistory, {
      type: 'history',
      older: false,
      frame: { v: 1, type: 'history', wa_id: '5511', next_before: null, messages: [photo, other] },
    });
    state = inboxReducer(state, {
      type: 'media_stored',
      frame: { v: 1, type: 'media_stored', wa_id: '5511', wamid: 'wamid.P', media_id: 'm1', size: 2048 },
    });
    const byId = (id: string) => state.messages['5511']?.find((m) => m.id === id);
    expect(byId('wamid.P')?.media).toMatchObject({ id: 'm1', mime_type: 'image/jpeg', size: 2048 });
    expect(byId('wamid.Q')?.media?.size).toBeUndefined();
  });

  it('keeps a message pushed before its conversation’s history arrived without it (the store wrote it later)', () => {
    const pushed = message({ id: 'wamid.NEW', wamid: 'wamid.NEW', text: 'just arrived' });
    let state = inboxReducer(emptyInbox, {
      type: 'pushed',
      frame: { v: 1, type: 'message', message: pushed },
    });
    state = inboxReducer(state, {
      type: 'history',
      older: false,
      frame: { v: 1, type: 'history', wa_id: pushed.wa_id, next_before: null, messages: [] },
    });
    expect(state.messages[pushed.wa_id]?.map((m) => m.id)).toEqual(['wamid.NEW']);
  });

  it('moves a reply’s status forward and never back', () => {
    let state = inboxReducer(withHistory, { type: 'status', frame: status('read') });
    state = inboxReducer(state, { type: 'status', frame: status('delivered') });
    expect(state.messages['5511']?.[0]?.status).toBe('read');
  });

  it('never fails a reply already delivered or read, and keeps failed final (whatsapp-cloud-api.md §4)', () => {
    let state = inboxReducer(withHistory, { type: 'status', frame: status('delivered') });
    state = inboxReducer(state, { type: 'status', frame: status('failed') });
    expect(state.messages['5511']?.[0]?.status).toBe('delivered');
    state = inboxReducer(withHistory, { type: 'status', frame: status('sent') });
    state = inboxReducer(state, { type: 'status', frame: status('failed') });
    state = inboxReducer(state, { type: 'status', frame: status('read') });
    expect(state.messages['5511']?.[0]?.status).toBe('failed');
  });

  it('counts a pushed message as unread unless its conversation is open', () => {
    const pushed = {
      v: 1,
      type: 'message',
      message: message({ id: 'new', timestamp: '2026-01-10T11:05:00Z' }),
    } as const;
    expect(
      inboxReducer(withHistory, { type: 'pushed', frame: pushed }).conversations['5511']?.unread_count,
    ).toBe(1);
    const open = inboxReducer(withHistory, { type: 'select', waId: '5511' });
    const state = inboxReducer(open, { type: 'pushed', frame: pushed });
    expect(state.conversations['5511']?.unread_count).toBe(0);
    expect(state.messages['5511']?.map((m) => m.id)).toEqual(['k1', 'new']);
  });

  it('keeps the later window when a router error brings none', () => {
    const error = {
      v: 1,
      type: 'message',
      message: message({ id: 'e', direction: 'system', type: 'error', timestamp: '2026-01-10T11:06:00Z' }),
      conversation: { window_expires_at: null },
    } as const;
    const state = inboxReducer(withHistory, { type: 'pushed', frame: error });
    expect(state.conversations['5511']?.window_expires_at).toBe('2026-01-11T11:00:00.000Z');
  });

  it('shows a reply pushed from another instance, not as unread, and keeps a status already further on', () => {
    const relayed = {
      v: 1,
      type: 'message',
      message: message({ id: 'k2', direction: 'out', status: 'pending', timestamp: '2026-01-10T11:07:00Z' }),
    } as const;
    let state = inboxReducer(withHistory, { type: 'pushed', frame: relayed });
    expect(state.messages['5511']?.map((m) => m.id)).toEqual(['k1', 'k2']);
    expect(state.conversations['5511']?.unread_count).toBe(0);
    expect(state.conversations['5511']?.last_message?.id).toBe('k2');

    state = inboxReducer(state, { type: 'status', frame: { ...status('delivered'), message_id: 'k2' } });
    state = inboxReducer(state, { type: 'pushed', frame: relayed }); // the same bubble again, older status
    expect(state.messages['5511']?.filter((m) => m.id === 'k2').map((m) => m.status)).toEqual(['delivered']);
  });

  // Issue 17: an identity change renames the conversation, history merged, still selected.
  it('moves a conversation to its new key on conversation_moved, keeping history and selection', () => {
    let state = inboxReducer(withHistory, { type: 'select', waId: '5511' });
    state = inboxReducer(state, { type: 'moved', from: '5511', to: 'BR.77' });
    expect(Object.keys(state.conversations)).toEqual(['BR.77']);
    expect(state.conversations['BR.77']).toMatchObject({ wa_id: 'BR.77', name: 'Ana' });
    expect(state.messages['BR.77']?.map((m) => [m.id, m.wa_id])).toEqual([['k1', 'BR.77']]);
    expect(state.selected).toBe('BR.77');
  });
});
