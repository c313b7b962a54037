import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { OperatorMessage } from '@wa-broker/shared/operator-protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageBubble } from '../components/message-bubble.js';
import { message, now } from './fixtures.js';

const url = '/api/media/111/m-1?agent=agent-a&exp=1768050000&sig=abc_-1';
const media = (type: string, extra: Partial<NonNullable<OperatorMessage['media']>> = {}) =>
  message({ type, text: type, media: { id: 'm-1', url, ...extra } });
const bubble = (m: OperatorMessage) => render(<MessageBubble now={now} message={m} />);

/** A HEAD answer from the media route. */
const answer = (status: number, headers: Record<string, string> = {}) =>
  vi.fn().mockResolvedValue(new Response(null, { status, headers }));

let fetchMock = answer(200, { 'content-length': '2048' });
beforeEach(() => {
  fetchMock = answer(200, { 'content-length': '2048' });
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('media bubbles', () => {
  it('shows a photo inline from its signed link (waiting for a file still arriving), with its caption', () => {
    bubble(media('image', { caption: 'My receipt', mime_type: 'image/jpeg' }));
    const img = screen.getByTestId('media-image') as HTMLImageElement;
    expect(img.getAttribute('src')).toBe(`${url}&wait=10000`);
    expect(img.getAttribute('alt')).toBe('Photo: My receipt');
    expect(screen.getByText('My receipt').className).toBe('media-caption');
  });

  it('opens the photo in a viewer with a download link; Escape closes it', () => {
    bubble(media('image', { filename: 'receipt.jpg' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open Photo' }));
    const viewer = screen.getByRole('dialog', { name: 'Photo' });
    expect(viewer.querySelector('img')?.getAttribute('src')).toContain(url);
    const download = screen.getByTestId('media-download');
    expect(download.getAttribute('href')).toBe(url);
    expect(download.getAttribute('download')).toBe('receipt.jpg');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a sticker as a small image', () => {
    bubble(media('sticker', { mime_type: 'image/webp' }));
    const sticker = screen.getByTestId('media-sticker');
    expect(sticker.tagName).toBe('IMG');
    expect(sticker.getAttribute('src')).toContain(url);
    expect(sticker.className).toBe('media-sticker');
  });

  it('plays audio and voice notes, labelled as such', () => {
    bubble(media('audio', { voice: true, mime_type: 'audio/ogg' }));
    const audio = screen.getByTestId('media-audio') as HTMLAudioElement;
    expect(audio.tagName).toBe('AUDIO');
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(audio.getAttribute('src')).toContain(url);
    expect(screen.getByText('Voice note')).toBeTruthy();
    cleanup();
    bubble(media('audio', { mime_type: 'audio/mpeg' }));
    expect(screen.getByText('Audio')).toBeTruthy();
  });

  it('plays a video, with its caption', () => {
    bubble(media('video', { caption: 'The leak' }));
    const video = screen.getByTestId('media-video');
    expect(video.tagName).toBe('VIDEO');
    expect(video.hasAttribute('controls')).toBe(true);
    expect(video.getAttribute('src')).toContain(url);
    expect(screen.getByText('The leak')).toBeTruthy();
  });

  it('shows a document card with its name, size in words and a download link', async () => {
    bubble(
      media('document', {
        filename: 'invoice-2026.pdf',
        size: 1_572_864,
        mime_type: 'application/pdf',
        caption: 'January',
      }),
    );
    expect(screen.getByText('invoice-2026.pdf')).toBeTruthy();
    expect(screen.getByText('1.5 MB · application/pdf')).toBeTruthy();
    const link = screen.getByTestId('media-document');
    expect(link.getAttribute('href')).toBe(url);
    expect(link.getAttribute('download')).toBe('invoice-2026.pdf');
    expect(screen.getByText('January')).toBeTruthy();
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${url}&wait=10000`);
    expect(fetchMock.mock.calls[0]?.[1]).toMatchObject({ method: 'HEAD' });
  });

  it('takes a document’s size from the server when the message has none', async () => {
    bubble(media('document', { filename: 'notes.txt' }));
    expect(await screen.findByText('2 KB')).toBeTruthy();
  });

  it('says a file the broker could not fetch from Meta (410) could not be downloaded, and retries', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 410 }));
    bubble(media('image', { caption: 'Lost' }));
    fireEvent.error(screen.getByTestId('media-image'));
    const problem = await screen.findByTestId('media-error');
    expect(problem.textContent).toContain('This file could not be downloaded');
    expect(problem.getAttribute('data-reason')).toBe('gone');
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${url}&wait=0`);
    expect(screen.getByText('Lost')).toBeTruthy();
    act(() => screen.getByRole('button', { name: 'Retry' }).click());
    expect(screen.getByTestId('media-image').getAttribute('src')).toBe(`${url}&wait=20000`);
  });

  it('loads a file again by itself once the backend says it is stored (it took longer than the first wait)', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 404 }));
    const arriving = media('sticker', { mime_type: 'image/webp' });
    const stored = media('sticker', { mime_type: 'image/webp', size: 2048 });
    const { rerender } = bubble(arriving);
    fireEvent.error(screen.getByTestId('media-sticker'));
    expect((await screen.findByTestId('media-error')).textContent).toContain('not available');
    // media_stored: the reducer sets the file's size on the bubble.
    rerender(<MessageBubble now={now} message={stored} />);
    const sticker = await screen.findByTestId('media-sticker');
    expect(sticker.getAttribute('src')).toBe(`${url}&wait=20000`);
    expect(screen.queryByTestId('media-error')).toBeNull();
  });

  it('leaves a stored file that still fails to the Retry button (no reload loop)', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 404 }));
    const stored = media('sticker', { mime_type: 'image/webp', size: 2048 });
    bubble(stored);
    fireEvent.error(screen.getByTestId('media-sticker'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('media-sticker').getAttribute('src')).toBe(`${url}&wait=20000`),
    );
    fireEvent.error(screen.getByTestId('media-sticker')); // the one reload, failing again
    expect((await screen.findByTestId('media-error')).textContent).toContain('not available');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId('media-sticker')).toBeNull();
  });

  it('says a file that is not there after waiting (404) is not available', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 404 }));
    bubble(media('audio'));
    fireEvent.error(screen.getByTestId('media-audio'));
    expect((await screen.findByTestId('media-error')).textContent).toContain('not available');
  });

  it('says when a 410 document could not be downloaded', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 410 }));
    bubble(media('document', { filename: 'contract.pdf' }));
    expect((await screen.findByTestId('media-error')).textContent).toContain(
      'contract.pdf: This file could not be downloaded',
    );
    expect(screen.queryByTestId('media-document')).toBeNull();
  });

  it('offers the download when the browser cannot play a file the server has', async () => {
    bubble(media('audio', { mime_type: 'audio/amr' }));
    fireEvent.error(screen.getByTestId('media-audio'));
    const problem = await screen.findByTestId('media-error');
    expect(problem.textContent).toContain('Your browser cannot show this file');
    expect(screen.getByText('Download it instead').getAttribute('href')).toBe(url);
  });

  it('keeps the placeholder and caption when the backend gives no link (no media service)', () => {
    bubble(message({ type: 'image', text: 'x', media: { id: 'm', caption: 'My receipt' } }));
    expect(screen.getByText(/📎 Photo/)).toBeTruthy();
    expect(screen.getByText('My receipt')).toBeTruthy();
    expect(screen.queryByTestId('media-image')).toBeNull();
  });

  it('shows an operator’s media reply from what was sent', () => {
    bubble(
      message({
        direction: 'out',
        type: 'media',
        status: 'pending',
        text: 'Here it is',
        media: { id: 'up-1', url },
        outbound: { kind: 'media', media_type: 'image', id: 'up-1', caption: 'Here it is' },
      }),
    );
    expect(screen.getByTestId('media-image').getAttribute('src')).toContain(url);
    expect(screen.getByText('Here it is')).toBeTruthy();
    expect(screen.getByLabelText('Waiting to be sent')).toBeTruthy();
  });
});
