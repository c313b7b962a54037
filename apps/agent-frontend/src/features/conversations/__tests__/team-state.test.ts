import { describe, expect, it } from 'vitest';
import { cannedMatches, cannedQuery, insertCanned } from '../components/canned-insert.js';
import { matchesFilter } from '../hooks/conversation-filter.js';
import { emptyInbox, type InboxState, inboxReducer } from '../hooks/inbox-state.js';
import { typingIn } from '../hooks/use-team.js';
import { conversation } from './fixtures.js';

const listed = (...items: ReturnType<typeof conversation>[]): InboxState =>
  inboxReducer(emptyInbox, {
    type: 'conversations',
    frame: { v: 1, type: 'conversations', conversations: items, next_before: null },
  });

const at = '2026-01-10T12:00:00.000Z';

describe('inbox state: assignment and status', () => {
  it('takes an assignment push: the conversation is a colleague’s at once', () => {
    const state = inboxReducer(listed(conversation()), {
      type: 'assignment',
      frame: {
        v: 1,
        type: 'assignment',
        wa_id: '5511',
        assignee: 'op-bea',
        previous_assignee: null,
        assigned_at: at,
        by: 'op-bea',
        reason: 'claim',
      },
    });
    expect(state.conversations['5511']).toMatchObject({ assignee: 'op-bea', assigned_at: at });
  });

  it('resolves and reopens for the same assignee; ignores a conversation it does not know', () => {
    const base = listed(conversation({ assignee: 'op-bea' }));
    const resolved = inboxReducer(base, {
      type: 'conversation_status',
      frame: {
        v: 1,
        type: 'conversation_status',
        wa_id: '5511',
        status: 'resolved',
        at,
        by: 'op-bea',
        assignee: 'op-bea',
      },
    });
    expect(resolved.conversations['5511']?.status).toBe('resolved');
    const reopened = inboxReducer(resolved, {
      type: 'conversation_status',
      frame: {
        v: 1,
        type: 'conversation_status',
        wa_id: '5511',
        status: 'open',
        at,
        by: null,
        assignee: 'op-bea',
      },
    });
    expect(reopened.conversations['5511']).toMatchObject({ status: 'open', assignee: 'op-bea' });
    const unknown = inboxReducer(base, {
      type: 'conversation_status',
      frame: {
        v: 1,
        type: 'conversation_status',
        wa_id: '999',
        status: 'open',
        at,
        by: null,
        assignee: null,
      },
    });
    expect(unknown).toBe(base);
  });

  it('filters: the queue is open and unassigned, mine is mine, resolved ones only under Resolved', () => {
    const queued = conversation({ wa_id: '1' });
    const mine = conversation({ wa_id: '2', assignee: 'me' });
    const theirs = conversation({ wa_id: '3', assignee: 'op-bea' });
    const done = conversation({ wa_id: '4', assignee: 'me', status: 'resolved' });
    const all = [queued, mine, theirs, done];
    const ids = (assignee: 'queue' | 'mine' | 'all', status: 'open' | 'resolved' = 'open') =>
      all.filter((item) => matchesFilter(item, { assignee, status }, 'me')).map((item) => item.wa_id);
    expect(ids('queue')).toEqual(['1']);
    expect(ids('mine')).toEqual(['2']);
    expect(ids('all')).toEqual(['1', '2', '3']);
    expect(ids('all', 'resolved')).toEqual(['4']);
    expect(all.filter((item) => matchesFilter(item, { assignee: 'mine', status: 'open' }, null))).toEqual([]);
  });

  it('knows who is typing until their frame gets old', () => {
    const team = { typing: { '5511': { 'op-bea': 10_000, 'op-caio': 4_000 } } };
    expect(typingIn(team, '5511', 5_000)).toEqual(['op-bea']);
    expect(typingIn(team, '5511', 11_000)).toEqual([]);
    expect(typingIn(team, '777', 0)).toEqual([]);
  });
});

describe('canned replies in the composer', () => {
  const replies = [
    { id: '1', shortcut: '/refund', text: 'Refund issued.', updated_by: null, updated_at: at },
    { id: '2', shortcut: '/refund-late', text: 'Refund is late.', updated_by: null, updated_at: at },
    { id: '3', shortcut: '/hello', text: 'Hello!', updated_by: null, updated_at: at },
  ];

  it('reads the /shortcut being typed at the end of the draft, alone or after a space', () => {
    expect(cannedQuery('/ref')).toBe('/ref');
    expect(cannedQuery('Thanks! /ref')).toBe('/ref');
    expect(cannedQuery('/')).toBe('/');
    expect(cannedQuery('and/or')).toBeNull();
    expect(cannedQuery('/ref then more')).toBeNull();
  });

  it('offers the shortcuts that start with it, and replaces only the shortcut with the text', () => {
    expect(cannedMatches(replies, '/ref').map((reply) => reply.shortcut)).toEqual([
      '/refund',
      '/refund-late',
    ]);
    expect(cannedMatches(replies, null)).toEqual([]);
    expect(insertCanned('Thanks! /ref', replies[0] as (typeof replies)[number])).toBe(
      'Thanks! Refund issued.',
    );
  });
});
