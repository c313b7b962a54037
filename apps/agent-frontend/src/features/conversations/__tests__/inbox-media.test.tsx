import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeXhr, lastXhr, uploaded } from '../../../lib/__tests__/fake-xhr.js';
import { ConnectedInbox } from './connected-inbox.js';
import { FakeBackendSocket } from './fake-backend-socket.js';

const defaultAccepted = FakeBackendSocket.accepted;
const url = '/api/media/111/meta-media-1?agent=agent-a&exp=1768050000&sig=s';

beforeEach(() => {
  FakeBackendSocket.instances = [];
  FakeXhr.instances = [];
  FakeBackendSocket.listed = { phone_number_id: '111', window_expires_at: '2999-01-01T00:00:00.000Z' };
  // The backend answers a media reply with the file's signed link, as for any media bubble.
  FakeBackendSocket.accepted = (frame) => ({
    ...defaultAccepted(frame),
    ...(frame.reply.kind === 'media' ? { media: { id: frame.reply.id, url } } : {}),
  });
  vi.stubGlobal('WebSocket', FakeBackendSocket);
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  FakeBackendSocket.listed = {};
  FakeBackendSocket.accepted = defaultAccepted;
});

describe('Inbox: sending a photo', () => {
  it('uploads it with the operator token to the conversation’s number, then sends a media reply that shows as pending', async () => {
    render(<ConnectedInbox token="op-token" />);
    const socket = FakeBackendSocket.instances[0] as FakeBackendSocket;
    act(() => socket.open());
    const name = await screen.findByText('Ana 1');
    act(() => name.click());

    const file = new File([new Uint8Array([1, 2, 3, 4])], 'shot.png', { type: 'image/png' });
    fireEvent.change(screen.getByTestId('attach-file'), { target: { files: [file] } });
    fireEvent.change(screen.getByTestId('media-caption-input'), { target: { value: 'Your receipt' } });
    fireEvent.click(screen.getByTestId('send-media'));

    await vi.waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    const xhr = lastXhr();
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/media?type=image&filename=shot.png&phone_number_id=111');
    expect(xhr.headers).toEqual({ 'Content-Type': 'image/png', Authorization: 'Bearer op-token' });
    expect(xhr.body).toBe(file);
    act(() => xhr.progress(2, 4));
    expect(screen.getByTestId('upload-progress').getAttribute('value')).toBe('2');
    expect(socket.requests.some((r) => r.type === 'send_reply')).toBe(false);

    act(() => xhr.respond(201, uploaded()));
    await vi.waitFor(() => expect(socket.requests.some((r) => r.type === 'send_reply')).toBe(true));
    const frame = socket.requests.find((r) => r.type === 'send_reply');
    expect(frame).toMatchObject({
      v: 1,
      wa_id: '5511',
      reply: { kind: 'media', media_type: 'image', id: 'meta-media-1', caption: 'Your receipt' },
    });
    expect(String(frame?.idempotency_key).length).toBeGreaterThanOrEqual(8);

    const image = await screen.findByTestId('media-image');
    expect(image.getAttribute('src')).toContain(url);
    const bubble = image.closest('[data-testid="bubble"]') as HTMLElement;
    expect(bubble.querySelector('[data-status="pending"]')).toBeTruthy();
    expect(bubble.textContent).toContain('Your receipt');
    expect(screen.getByRole('form', { name: 'Reply' })).toBeTruthy();
  });

  it('does not let a file dropped during an upload replace (and cancel) the file being sent', async () => {
    render(<ConnectedInbox token="op-token" />);
    const socket = FakeBackendSocket.instances[0] as FakeBackendSocket;
    act(() => socket.open());
    const name = await screen.findByText('Ana 1');
    act(() => name.click());

    const first = new File([new Uint8Array([1, 2, 3, 4])], 'shot.png', { type: 'image/png' });
    fireEvent.change(screen.getByTestId('attach-file'), { target: { files: [first] } });
    fireEvent.click(screen.getByTestId('send-media'));
    await vi.waitFor(() => expect(FakeXhr.instances).toHaveLength(1));
    const pane = screen.getByTestId('media-draft-file').closest('section') as HTMLElement;
    const pdf = new File([new Uint8Array([5, 6, 7])], 'invoice.pdf', { type: 'application/pdf' });
    const dropPdf = () => fireEvent.drop(pane, { dataTransfer: { types: ['Files'], files: [pdf] } });
    dropPdf();
    expect(screen.getByTestId('media-draft-file').textContent).toContain('shot.png');
    act(() => lastXhr().respond(201, uploaded()));
    await vi.waitFor(() => expect(socket.requests.some((r) => r.type === 'send_reply')).toBe(true));
    await screen.findByTestId('media-image');
    // Sent: the composer is back, and a file dropped now is the next draft.
    await vi.waitFor(() => expect(screen.queryByTestId('media-draft-file')).toBeNull());
    dropPdf();
    await vi.waitFor(() =>
      expect(screen.getByTestId('media-draft-file').textContent).toContain('invoice.pdf'),
    );
  });
});
