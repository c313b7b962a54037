import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from '../components/composer.js';

afterEach(cleanup);

describe('Composer', () => {
  it('sends a text reply and clears the box', async () => {
    const onSend = vi.fn().mockResolvedValue({ ok: true });
    render(<Composer windowOpen onSend={onSend} />);
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'On my way' } });
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() => expect(onSend).toHaveBeenCalledWith({ kind: 'text', text: 'On my way' }));
    await vi.waitFor(() => expect(box.value).toBe(''));
  });

  it('does not send an empty text and says why', async () => {
    const onSend = vi.fn();
    render(<Composer windowOpen onSend={onSend} />);
    fireEvent.click(screen.getByText('Send'));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'text is required');
    expect(onSend).not.toHaveBeenCalled();
  });

  it('allows at most three reply buttons of at most 20 characters', () => {
    render(<Composer windowOpen onSend={vi.fn()} />);
    fireEvent.click(screen.getByRole('tab', { name: 'Buttons' }));
    const add = screen.getByText(/Add button/) as HTMLButtonElement;
    fireEvent.click(add);
    fireEvent.click(add);
    expect(screen.getAllByLabelText(/^Button \d/)).toHaveLength(3);
    expect(add.disabled).toBe(true);
    const title = screen.getByLabelText('Button 1') as HTMLInputElement;
    fireEvent.change(title, { target: { value: 'x'.repeat(30) } });
    expect(title.value).toHaveLength(20);
  });

  it('allows at most ten list rows', () => {
    render(<Composer windowOpen onSend={vi.fn()} />);
    fireEvent.click(screen.getByRole('tab', { name: 'List' }));
    const add = screen.getByText(/Add row/) as HTMLButtonElement;
    for (let i = 0; i < 12; i += 1) fireEvent.click(add);
    expect(screen.getAllByLabelText(/^Row \d+$/)).toHaveLength(10);
    expect(add.textContent).toContain('WhatsApp allows 10');
  });

  it('switches to templates only when the window is closed', async () => {
    const onSend = vi.fn().mockResolvedValue({ ok: true });
    render(<Composer windowOpen={false} onSend={onSend} />);
    expect((screen.getByRole('tab', { name: 'Text' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('tab', { name: 'Template' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.change(screen.getByLabelText('Approved template name'), { target: { value: 'follow_up' } });
    fireEvent.click(screen.getByText('+ Add parameter'));
    fireEvent.change(screen.getByLabelText('Body parameter {{1}}'), { target: { value: 'Ana' } });
    fireEvent.click(screen.getByText('Send'));
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        kind: 'template',
        name: 'follow_up',
        language: 'en_US',
        body_parameters: ['Ana'],
      }),
    );
  });

  it('shows the server’s refusal next to the composer', async () => {
    const onSend = vi.fn().mockResolvedValue({ ok: false, message: 'The 24-hour window is closed.' });
    render(<Composer windowOpen onSend={onSend} />);
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'hi' } });
    fireEvent.click(screen.getByText('Send'));
    expect((await screen.findByRole('alert')).textContent).toContain('The 24-hour window is closed.');
  });
});
