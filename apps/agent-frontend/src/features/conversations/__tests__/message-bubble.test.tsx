import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageBubble } from '../components/message-bubble.js';
import { message, now } from './fixtures.js';

afterEach(cleanup);

describe('MessageBubble', () => {
  it('shows a failed reply with Meta’s reason in plain words', () => {
    render(
      <MessageBubble
        now={now}
        message={message({
          direction: 'out',
          status: 'failed',
          error: {
            code: 'delivery_failed',
            text: 'More than 24 hours have passed since the user last wrote.',
          },
        })}
      />,
    );
    expect(screen.getByLabelText('Not delivered')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('More than 24 hours');
  });

  it('shows ticks for sent, delivered and read', () => {
    for (const [status, label] of [
      ['sent', 'Sent'],
      ['delivered', 'Delivered'],
      ['read', 'Read'],
    ] as const) {
      render(<MessageBubble now={now} message={message({ id: status, direction: 'out', status })} />);
      expect(screen.getByLabelText(label).getAttribute('data-status')).toBe(status);
      cleanup();
    }
  });

  it('shows media as a placeholder with its caption, and unsupported messages as such', () => {
    render(
      <ol>
        <MessageBubble
          now={now}
          message={message({ type: 'image', text: 'x', media: { id: 'm', caption: 'My receipt' } })}
        />
        <MessageBubble
          now={now}
          message={message({ id: 'u', type: 'unsupported', text: 'A message type this inbox cannot show' })}
        />
        <MessageBubble
          now={now}
          message={message({ id: 'r', type: 'list_reply', reply: { id: 'r1', title: 'Billing' } })}
        />
      </ol>,
    );
    expect(screen.getByText(/Photo/)).toBeTruthy();
    expect(screen.getByText('My receipt')).toBeTruthy();
    expect(screen.getByText(/cannot show/)).toBeTruthy();
    expect(screen.getByText(/Billing/)).toBeTruthy();
  });
});
