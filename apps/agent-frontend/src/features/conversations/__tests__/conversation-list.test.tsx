import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConversationList } from '../components/conversation-list.js';
import { WindowCountdown } from '../components/window-countdown.js';
import { emptyInbox, inboxReducer, sortedConversations } from '../hooks/inbox-state.js';
import { conversation, now } from './fixtures.js';

afterEach(cleanup);

describe('ConversationList', () => {
  it('orders conversations by activity and shows unread badges', () => {
    const state = inboxReducer(emptyInbox, {
      type: 'conversations',
      frame: {
        v: 1,
        type: 'conversations',
        next_before: null,
        conversations: [
          conversation({ wa_id: '1', name: 'Older', last_activity_at: '2026-01-10T09:00:00Z' }),
          conversation({
            wa_id: '2',
            name: 'Newer',
            last_activity_at: '2026-01-10T11:30:00Z',
            unread_count: 3,
          }),
        ],
      },
    });
    const onSelect = vi.fn();
    render(
      <ConversationList
        conversations={sortedConversations(state)}
        selected={null}
        onSelect={onSelect}
        now={now}
      />,
    );
    const names = screen
      .getAllByRole('button')
      .map((button) => button.querySelector('.conversation-name')?.textContent);
    expect(names).toEqual(['Newer', 'Older']);
    expect(document.querySelector('.badge')?.textContent).toBe('3 unread');
    fireEvent.click(screen.getByText('Older'));
    expect(onSelect).toHaveBeenCalledWith('1');
  });
});

describe('WindowCountdown', () => {
  it('counts down to the shared reply deadline (5 minutes before Meta closes) and says templates only after', () => {
    render(<WindowCountdown expiresAt="2026-01-10T14:35:00Z" now={now} />);
    expect(screen.getByTestId('window').textContent).toBe('Window open · 2 h 30 min left');
    cleanup();
    render(<WindowCountdown expiresAt="2026-01-10T12:04:00Z" now={now} />);
    expect(screen.getByTestId('window').textContent).toContain('templates only');
    cleanup();
    render(<WindowCountdown expiresAt="2026-01-10T11:59:00Z" now={now} />);
    expect(screen.getByTestId('window').textContent).toContain('templates only');
  });

  it('says the session ended instead of a window that no reply can use', () => {
    render(<WindowCountdown expiresAt="2026-01-11T11:59:00Z" now={now} sessionEnded />);
    expect(screen.getByTestId('window').textContent).toContain('Session ended');
    expect(screen.getByTestId('window').textContent).not.toContain('Window open');
  });
});
