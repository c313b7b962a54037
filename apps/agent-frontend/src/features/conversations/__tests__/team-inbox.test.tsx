import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectedInbox } from './connected-inbox.js';
import { FakeBackendSocket } from './fake-backend-socket.js';

const me = { id: 'op-ana', name: 'Ana Admin', email: 'ana@example.com', role: 'admin' };
const member = (id: string, name: string, online: boolean) => ({
  id,
  name,
  role: 'operator',
  disabled: false,
  online,
  last_seen_at: null,
});
const at = '2026-01-10T12:00:00.000Z';
const assignment = (assignee: string | null, by: string | null) => ({
  type: 'assignment',
  wa_id: '5511',
  assignee,
  previous_assignee: null,
  assigned_at: assignee ? at : null,
  by,
  reason: assignee ? 'claim' : 'release',
});

beforeEach(() => {
  FakeBackendSocket.instances = [];
  FakeBackendSocket.operator = me;
  FakeBackendSocket.listed = { name: 'Dora', window_expires_at: '2999-01-01T00:00:00.000Z' };
  FakeBackendSocket.answers = {
    list_operators: () => ({
      type: 'operators',
      operators: [
        member('op-ana', 'Ana Admin', true),
        member('op-bea', 'Bea', true),
        member('op-caio', 'Caio', false),
      ],
    }),
    claim: () => assignment('op-ana', 'op-ana'),
    list_notes: (frame) => ({ type: 'notes', wa_id: frame.wa_id, notes: [], next_before: null }),
    typing: (frame) => ({ type: 'typing_indicator', wa_id: frame.wa_id, result: 'sent' }),
  };
  vi.stubGlobal('WebSocket', FakeBackendSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  FakeBackendSocket.listed = {};
  FakeBackendSocket.answers = {};
  FakeBackendSocket.operator = undefined;
});

const socket = () => FakeBackendSocket.instances[0] as FakeBackendSocket;
const sent = (type: string) => socket().requests.filter((request) => request.type === type);

async function openInbox() {
  render(<ConnectedInbox token="t" />);
  act(() => socket().open());
  return screen.findByRole('button', { name: /Dora/ });
}

describe('Inbox: queue and assignment', () => {
  it('shows the queue, the assignee on each row, and a colleague’s claim at once', async () => {
    await openInbox();
    fireEvent.click(screen.getByRole('tab', { name: /Queue/ }));
    const row = screen.getByRole('button', { name: /Dora/ });
    expect(row.textContent).toContain('Unassigned');
    expect(screen.getByRole('tab', { name: /Queue/ }).textContent).toBe('Queue (1)');

    act(() => socket().push(assignment('op-bea', 'op-bea')));
    expect(screen.queryByRole('button', { name: /Dora/ })).toBeNull();
    expect(screen.getByText('Nobody is waiting in the queue.')).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: /All/ }));
    expect(screen.getByRole('button', { name: /Dora/ }).textContent).toContain('Bea');
    fireEvent.click(screen.getByRole('tab', { name: /Mine/ }));
    expect(screen.queryByRole('button', { name: /Dora/ })).toBeNull();
  });

  it('claims from the chat, and says so when a colleague was first', async () => {
    const row = await openInbox();
    fireEvent.click(row);
    fireEvent.click(await screen.findByRole('button', { name: 'Claim' }));
    expect(await screen.findByText('Assigned to you')).toBeTruthy();
    expect(sent('claim')).toEqual([expect.objectContaining({ wa_id: '5511' })]);
    fireEvent.click(screen.getByRole('tab', { name: /Mine/ }));
    expect(screen.getByRole('button', { name: /Dora/ })).toBeTruthy();

    act(() => socket().push(assignment(null, 'op-ana')));
    FakeBackendSocket.answers.claim = () => ({ type: 'error', code: 'already_assigned', message: 'taken' });
    fireEvent.click(await screen.findByRole('button', { name: 'Claim' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'A colleague claimed this conversation first.',
    );
  });

  it('hands over to a colleague (online ones first) and releases', async () => {
    FakeBackendSocket.answers.hand_over = (frame) => ({
      ...assignment(String(frame.to), 'op-ana'),
      reason: 'hand_over',
    });
    FakeBackendSocket.answers.release = () => assignment(null, 'op-ana');
    fireEvent.click(await openInbox());
    const select = (await screen.findByRole('combobox', { name: 'Hand over to' })) as HTMLSelectElement;
    await vi.waitFor(() => expect(select.options.length).toBe(4));
    expect([...select.options].map((option) => option.textContent)).toEqual([
      'Hand over to…',
      'Ana Admin (you) · online',
      'Bea · online',
      'Caio · offline',
    ]);
    fireEvent.change(select, { target: { value: 'op-bea' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hand over' }));
    expect(await screen.findByText('Assigned to Bea')).toBeTruthy();
    expect(sent('hand_over')).toEqual([expect.objectContaining({ wa_id: '5511', to: 'op-bea' })]);
    // An admin may take it back to the queue.
    fireEvent.click(screen.getByRole('button', { name: 'Release' }));
    expect(await screen.findByRole('button', { name: 'Claim' })).toBeTruthy();
  });

  it('resolves: it leaves the open list (the Resolved filter shows it); a reopen push brings it back', async () => {
    FakeBackendSocket.answers.resolve = (frame) => ({
      type: 'conversation_status',
      wa_id: frame.wa_id,
      status: 'resolved',
      at,
      by: 'op-ana',
      assignee: null,
    });
    fireEvent.click(await openInbox());
    fireEvent.click(await screen.findByRole('button', { name: 'Resolve' }));
    expect((await screen.findByTestId('status-badge')).textContent).toBe('Resolved');
    const list = () => screen.queryByRole('list', { name: 'Conversations' });
    expect(list()).toBeNull();
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'resolved' } });
    expect(within(list() as HTMLElement).getByText('Dora')).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'open' } });

    act(() =>
      socket().push({
        type: 'conversation_status',
        wa_id: '5511',
        status: 'open',
        at,
        by: null,
        assignee: null,
      }),
    );
    expect(within(list() as HTMLElement).getByText('Dora')).toBeTruthy();
    expect(screen.getByTestId('status-badge').textContent).toBe('Open');
    expect(screen.getByRole('button', { name: 'Resolve' })).toBeTruthy();
  });

  it('lists who is online', async () => {
    await openInbox();
    const team = await screen.findByTestId('team');
    await vi.waitFor(() => expect(team.textContent).toContain('2 online'));
    act(() => socket().push({ type: 'operator_changed', operator: member('op-caio', 'Caio', true) }));
    expect(team.textContent).toContain('3 online');
  });
});

describe('Inbox: typing', () => {
  it('sends a typing frame while the operator types (not per key), and shows a colleague typing', async () => {
    fireEvent.click(await openInbox());
    const box = await screen.findByLabelText('Message');
    fireEvent.change(box, { target: { value: 'H' } });
    fireEvent.change(box, { target: { value: 'He' } });
    fireEvent.change(box, { target: { value: 'Hel' } });
    await vi.waitFor(() => expect(sent('typing')).toHaveLength(1));
    expect(sent('typing')[0]).toMatchObject({ wa_id: '5511' });

    act(() => socket().push({ type: 'operator_typing', wa_id: '5511', operator_id: 'op-bea' }));
    await vi.waitFor(() => expect(screen.getByTestId('colleague-typing').textContent).toBe('Bea is typing…'));
    act(() =>
      socket().push({
        type: 'message',
        message: { id: 'r9', wa_id: '5511', direction: 'out', type: 'text', text: 'Hi', timestamp: at },
      }),
    );
    expect(screen.queryByTestId('colleague-typing')).toBeNull();
  });
});
