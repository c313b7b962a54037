import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectedInbox } from './connected-inbox.js';
import { FakeBackendSocket } from './fake-backend-socket.js';
import { conversation } from './fixtures.js';

const at = '2026-01-10T12:00:00.000Z';
const note = (id: string, text: string, author = 'Bea') => ({
  id,
  wa_id: '5511',
  author_id: `op-${author.toLowerCase()}`,
  author_name: author,
  text,
  created_at: at,
});
const canned = [
  { id: 'c1', shortcut: '/refund', text: 'Your refund is on its way.', updated_by: null, updated_at: at },
  { id: 'c2', shortcut: '/refund-late', text: 'Refunds take 5 days.', updated_by: null, updated_at: at },
];

beforeEach(() => {
  FakeBackendSocket.instances = [];
  FakeBackendSocket.listed = { name: 'Dora', window_expires_at: '2999-01-01T00:00:00.000Z' };
  FakeBackendSocket.answers = {
    list_operators: () => ({ type: 'operators', operators: [] }),
    list_notes: (frame) => ({
      type: 'notes',
      wa_id: frame.wa_id,
      notes: [note('n1', 'Called her yesterday')],
      next_before: null,
    }),
    add_note: (frame) => ({ type: 'note', note: { ...note('n2', String(frame.text), 'Ana') } }),
    typing: (frame) => ({ type: 'typing_indicator', wa_id: frame.wa_id, result: 'sent' }),
  };
  vi.stubGlobal('WebSocket', FakeBackendSocket);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  FakeBackendSocket.listed = {};
  FakeBackendSocket.answers = {};
});

const socket = () => FakeBackendSocket.instances[0] as FakeBackendSocket;
const sent = (type: string) => socket().requests.filter((request) => request.type === type);

async function openChat(props: Parameters<typeof ConnectedInbox>[0] = { token: 't' }) {
  render(<ConnectedInbox {...props} />);
  act(() => socket().open());
  fireEvent.click(await screen.findByRole('button', { name: /Dora/ }));
}

describe('Internal notes', () => {
  it('lists the notes in their own tab, adds one with add_note (never send_reply), and shows colleagues’ notes', async () => {
    await openChat();
    fireEvent.change(await screen.findByLabelText('Message'), { target: { value: 'half-written reply' } });
    fireEvent.click(screen.getByRole('tab', { name: 'Notes' }));
    const panel = await screen.findByTestId('notes-panel');
    expect(await within(panel).findByText('Called her yesterday')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Reply' })).toBeNull();

    fireEvent.change(within(panel).getByLabelText('Note'), { target: { value: 'VIP customer' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Add note' }));
    expect(await within(panel).findByText('VIP customer')).toBeTruthy();
    expect(sent('add_note')).toEqual([expect.objectContaining({ wa_id: '5511', text: 'VIP customer' })]);
    expect(sent('send_reply')).toEqual([]);

    act(() => socket().push({ type: 'note', note: note('n3', 'Refund approved') }));
    expect(within(panel).getByText('Refund approved')).toBeTruthy();
    expect(within(panel).getAllByTestId('note')).toHaveLength(3);
    // Back to the messages: the reply being typed is still there.
    fireEvent.click(screen.getByRole('tab', { name: 'Messages' }));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('half-written reply');
  });
});

describe('Canned replies in the composer', () => {
  it('offers the shortcuts matching /ref; Tab inserts the first, arrows and Enter another; Enter then sends', async () => {
    await openChat({ token: 't', cannedReplies: canned });
    const box = (await screen.findByLabelText('Message')) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: '/ref' } });
    const suggestions = screen.getByTestId('canned-suggestions');
    expect(
      within(suggestions)
        .getAllByRole('button')
        .map((button) => button.dataset.shortcut),
    ).toEqual(['/refund', '/refund-late']);
    fireEvent.keyDown(box, { key: 'Tab' });
    expect(box.value).toBe('Your refund is on its way.');
    expect(screen.queryByTestId('canned-suggestions')).toBeNull();
    expect(sent('send_reply')).toEqual([]);

    fireEvent.change(box, { target: { value: 'Hello! /refund' } });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('Hello! Refunds take 5 days.');
    fireEvent.keyDown(box, { key: 'Enter' });
    await vi.waitFor(() => expect(sent('send_reply')).toHaveLength(1));
    expect(sent('send_reply')[0]).toMatchObject({
      reply: { kind: 'text', text: 'Hello! Refunds take 5 days.' },
    });
  });

  it('Escape closes the suggestions, so Enter sends what was typed', async () => {
    await openChat({ token: 't', cannedReplies: canned });
    const box = (await screen.findByLabelText('Message')) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'see /refund' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByTestId('canned-suggestions')).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter' });
    await vi.waitFor(() => expect(sent('send_reply')[0]).toMatchObject({ reply: { text: 'see /refund' } }));
  });
});

describe('Search', () => {
  const result = (waId: string, name: string, snippet: string) => ({
    conversation: conversation({ wa_id: waId, name }),
    matched: 'message',
    snippet,
    message_id: `m-${waId}`,
    message_at: at,
  });

  it('shows results with their snippet, loads more with the cursor, and opens one', async () => {
    FakeBackendSocket.answers.search = (frame) =>
      frame.cursor
        ? {
            type: 'search_results',
            query: frame.query,
            results: [result('77', 'Eva', 'my blender broke')],
            next_cursor: null,
          }
        : {
            type: 'search_results',
            query: frame.query,
            results: [result('5511', 'Dora', '…the blender jar…')],
            next_cursor: 'cursor-2',
          };
    render(<ConnectedInbox token="t" />);
    act(() => socket().open());
    await screen.findByRole('button', { name: /Dora/ });
    const box = screen.getByLabelText('Search conversations');
    fireEvent.change(box, { target: { value: 'blender' } });
    fireEvent.submit(box.closest('form') as HTMLFormElement);
    const results = await screen.findByTestId('search-results');
    expect(await within(results).findByText('…the blender jar…')).toBeTruthy();
    expect(sent('search')[0]).toMatchObject({ query: 'blender' });

    fireEvent.click(within(results).getByRole('button', { name: 'Load more' }));
    expect(await within(results).findByText('my blender broke')).toBeTruthy();
    expect(sent('search')[1]).toMatchObject({ query: 'blender', cursor: 'cursor-2' });
    expect(within(results).queryByRole('button', { name: 'Load more' })).toBeNull();

    // A conversation the list did not have: opening it loads its history.
    fireEvent.click(within(results).getByText('Eva'));
    expect(await screen.findByRole('region', { name: 'Chat with Eva' })).toBeTruthy();
    await vi.waitFor(() => expect(sent('get_history').some((request) => request.wa_id === '77')).toBe(true));

    fireEvent.click(within(results).getByRole('button', { name: 'Clear' }));
    expect(screen.queryByTestId('search-results')).toBeNull();
    expect(screen.getByRole('list', { name: 'Conversations' })).toBeTruthy();
  });

  it('says what went wrong when the search is refused', async () => {
    FakeBackendSocket.answers.search = () => ({
      type: 'error',
      code: 'invalid_frame',
      message: 'bad',
      issues: [],
    });
    render(<ConnectedInbox token="t" />);
    act(() => socket().open());
    await screen.findByRole('button', { name: /Dora/ });
    const box = screen.getByLabelText('Search conversations');
    fireEvent.change(box, { target: { value: 'x' } });
    fireEvent.submit(box.closest('form') as HTMLFormElement);
    expect((await screen.findByRole('alert')).textContent).toContain('WhatsApp’s limits');
  });
});
