import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatPane } from '../components/chat-pane.js';
import { Composer } from '../components/composer.js';
import { conversation, now } from './fixtures.js';

afterEach(cleanup);

const pane = (overrides: Parameters<typeof conversation>[0]) => (
  <ChatPane
    conversation={conversation(overrides)}
    messages={[]}
    hasOlder={false}
    now={now}
    onBack={vi.fn()}
    onLoadOlder={vi.fn()}
    onSend={vi.fn()}
    onUpload={vi.fn()}
  />
);

describe('ChatPane', () => {
  it('offers the composer while the session is open', () => {
    render(pane({ session: 'open' }));
    expect(screen.getByRole('form', { name: 'Reply' })).toBeTruthy();
    expect(screen.getByTestId('window').textContent).toContain('Window open');
  });

  it('closes the composer and says so once the session has ended (the router would refuse any reply)', () => {
    render(pane({ session: 'ended', window_expires_at: '2026-01-11T11:59:00Z' }));
    expect(screen.queryByRole('form', { name: 'Reply' })).toBeNull();
    expect(screen.getByTestId('window').textContent).toContain('Session ended');
    expect(screen.getByRole('status').textContent).toContain('The session has ended');
  });

  it('offers only templates in the last 5 minutes of the window, as the router decides', () => {
    render(pane({ window_expires_at: '2026-01-10T12:04:00Z' }));
    expect((screen.getByRole('tab', { name: 'Text' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('Composer and the shared rules', () => {
  it('counts an emoji once, as Meta does: 3000 emoji (6000 UTF-16 units) is a valid text', async () => {
    const onSend = vi.fn().mockResolvedValue({ ok: true });
    render(<Composer windowOpen onSend={onSend} />);
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: '😀'.repeat(3000) } });
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(onSend).toHaveBeenCalledTimes(1));
  });

  it('refuses a text over 4096 characters and says why, before sending', async () => {
    const onSend = vi.fn();
    render(<Composer windowOpen onSend={onSend} />);
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'a'.repeat(4097) } });
    fireEvent.click(screen.getByText('Send'));
    expect((await screen.findByRole('alert')).textContent).toContain('at most 4096 characters');
    expect(onSend).not.toHaveBeenCalled();
  });
});
