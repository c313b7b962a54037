import { describe, expect, it } from 'vitest';
import { createOperatorRequest, updateOperatorRequest } from './operator-accounts.js';
import { clientFrame, serverFrame } from './operator-protocol.js';

describe('operator protocol: team frames', () => {
  it('takes assignment, typing, note, search and status requests', () => {
    for (const frame of [
      { type: 'claim', wa_id: '5511' },
      { type: 'release', wa_id: '5511' },
      { type: 'hand_over', wa_id: '5511', to: 'op-2' },
      { type: 'typing', wa_id: '5511' },
      { type: 'add_note', wa_id: '5511', text: 'VIP customer' },
      { type: 'list_notes', wa_id: '5511', limit: 20 },
      { type: 'search', query: 'refund', cursor: 'abc' },
      { type: 'resolve', wa_id: '5511' },
      { type: 'reopen', wa_id: '5511' },
      { type: 'list_operators' },
      { type: 'list_conversations', assignee: 'unassigned', status: 'open' },
    ])
      expect(clientFrame.safeParse({ v: 1, ...frame }).success, frame.type).toBe(true);
    expect(clientFrame.safeParse({ v: 1, type: 'add_note', wa_id: '5511', text: '  ' }).success).toBe(false);
  });

  it('checks canned reply shortcuts: a slash and lower-case letters, digits, _ or -', () => {
    const create = (shortcut: string) =>
      clientFrame.safeParse({
        v: 1,
        type: 'create_canned_reply',
        shortcut,
        text: 'We refund within 5 days.',
      });
    expect(create('/refund').success).toBe(true);
    expect(create('/late_order-2').success).toBe(true);
    expect(create('refund').success).toBe(false);
    expect(create('/Refund').success).toBe(false);
    expect(create('/re fund').success).toBe(false);
  });

  it('describes assignment pushes and keeps the existing frames', () => {
    const assignment = {
      v: 1,
      type: 'assignment',
      wa_id: '5511',
      assignee: 'op-1',
      previous_assignee: null,
      assigned_at: '2026-05-01T10:00:00.000Z',
      by: 'op-1',
      reason: 'claim',
    };
    expect(serverFrame.safeParse(assignment).success).toBe(true);
    expect(serverFrame.safeParse({ ...assignment, reason: 'stolen' }).success).toBe(false);
    expect(serverFrame.safeParse({ v: 1, type: 'welcome', agent: 'A', server_time: 'now' }).success).toBe(
      true,
    );
  });

  it('refuses short passwords and empty account changes', () => {
    const operator = { name: 'Ana', email: 'ana@example.com', password: 'short' };
    expect(createOperatorRequest.safeParse(operator).success).toBe(false);
    expect(createOperatorRequest.parse({ ...operator, password: 'long enough pass' }).role).toBe('operator');
    expect(updateOperatorRequest.safeParse({}).success).toBe(false);
    expect(updateOperatorRequest.safeParse({ disabled: true }).success).toBe(true);
  });
});
