import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { socketUrl } from '../../../config/env.js';
import { useOperatorConnection } from '../../../lib/operator-connection.js';
import { FakeBackendSocket } from '../../conversations/__tests__/fake-backend-socket.js';
import { useCannedReplies } from '../api/canned-replies.js';
import { CannedRepliesManager } from '../components/canned-replies-manager.js';

const at = '2026-01-10T12:00:00.000Z';
const reply = (id: string, shortcut: string, text: string) => ({
  id,
  shortcut,
  text,
  updated_by: 'op-ana',
  updated_at: at,
});

function Manager() {
  const connection = useOperatorConnection(socketUrl(window.location, 't'));
  return <CannedRepliesManager canned={useCannedReplies(connection)} />;
}

beforeEach(() => {
  FakeBackendSocket.instances = [];
  FakeBackendSocket.answers = {
    list_canned_replies: () => ({
      type: 'canned_replies',
      canned_replies: [reply('c1', '/hello', 'Hello!')],
    }),
    create_canned_reply: (frame) =>
      frame.shortcut === '/hello'
        ? { type: 'error', code: 'conflict', message: 'taken' }
        : { type: 'canned_reply', canned_reply: reply('c2', String(frame.shortcut), String(frame.text)) },
    update_canned_reply: (frame) => ({
      type: 'canned_reply',
      canned_reply: reply(String(frame.id), String(frame.shortcut), String(frame.text)),
    }),
    delete_canned_reply: (frame) => ({ type: 'canned_reply_deleted', id: frame.id }),
  };
  vi.stubGlobal('WebSocket', FakeBackendSocket);
  vi.stubGlobal('confirm', () => true);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  FakeBackendSocket.answers = {};
});

const socket = () => FakeBackendSocket.instances[0] as FakeBackendSocket;
const rows = () => screen.getAllByTestId('canned-row').map((row) => row.dataset.shortcut);

describe('CannedRepliesManager', () => {
  it('lists, creates (a taken shortcut is refused by field), edits and deletes; follows colleagues’ changes', async () => {
    render(<Manager />);
    act(() => socket().open());
    expect(await screen.findByText('Hello!')).toBeTruthy();

    const form = screen.getByRole('form', { name: 'New canned reply' });
    fireEvent.change(within(form).getByLabelText('Shortcut'), { target: { value: 'refund' } });
    fireEvent.change(within(form).getByLabelText('Text'), { target: { value: 'Refund issued.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add canned reply' }));
    expect(await within(form).findByText('a slash and up to 31 of a-z 0-9 _ -')).toBeTruthy();
    expect(socket().requests.some((request) => request.type === 'create_canned_reply')).toBe(false);

    fireEvent.change(within(form).getByLabelText('Shortcut'), { target: { value: '/hello' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add canned reply' }));
    expect(await within(form).findByText('this shortcut is taken')).toBeTruthy();

    fireEvent.change(within(form).getByLabelText('Shortcut'), { target: { value: '/refund' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add canned reply' }));
    await vi.waitFor(() => expect(rows()).toEqual(['/hello', '/refund']));

    const hello = screen.getAllByTestId('canned-row')[0] as HTMLElement;
    fireEvent.click(within(hello).getByRole('button', { name: 'Edit' }));
    const edit = screen.getByRole('form', { name: 'Edit canned reply' });
    fireEvent.change(within(edit).getByLabelText('Text'), { target: { value: 'Hi there!' } });
    fireEvent.click(within(edit).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Hi there!')).toBeTruthy();
    expect(socket().requests.find((request) => request.type === 'update_canned_reply')).toMatchObject({
      id: 'c1',
      shortcut: '/hello',
      text: 'Hi there!',
    });

    fireEvent.click(
      within(screen.getAllByTestId('canned-row')[1] as HTMLElement).getByRole('button', { name: 'Delete' }),
    );
    await vi.waitFor(() => expect(rows()).toEqual(['/hello']));

    act(() => socket().push({ type: 'canned_reply', canned_reply: reply('c9', '/bye', 'Bye!') }));
    expect(rows()).toEqual(['/bye', '/hello']);
    act(() => socket().push({ type: 'canned_reply_deleted', id: 'c9' }));
    expect(rows()).toEqual(['/hello']);
  });
});
