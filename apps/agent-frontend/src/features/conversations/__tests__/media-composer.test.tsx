import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ComponentProps } from 'react';
import { afterEach, describe, expect, it, type Mock, vi } from 'vitest';
import type { MediaUploader, UploadResult } from '../../../lib/media-upload.js';
import { ChatPane } from '../components/chat-pane.js';
import { conversation, now } from './fixtures.js';

afterEach(cleanup);

const MB = 1024 * 1024;
const fileOf = (name: string, type: string, size: number, bytes?: number[]) =>
  new File([bytes ? new Uint8Array(bytes) : new Uint8Array(size)], name, { type });
const uploaded = { id: 'meta-media-1', phone_number_id: '111', type: 'image', mime_type: 'image/png' };
const success = (): UploadResult => ({
  ok: true,
  media: {
    ...uploaded,
    type: 'image',
    size: 4,
    sha256: 'ab',
    filename: 'a.png',
    path: '/v1/media/111/meta-media-1',
  },
});

type OnSend = ComponentProps<typeof ChatPane>['onSend'];

function pane(options: { onUpload?: MediaUploader; onSend?: Mock<OnSend> } = {}) {
  const onUpload = vi.fn(options.onUpload ?? (async () => success()));
  const onSend = options.onSend ?? vi.fn<OnSend>().mockResolvedValue({ ok: true });
  render(
    <ChatPane
      conversation={conversation()}
      messages={[]}
      hasOlder={false}
      now={now}
      onBack={vi.fn()}
      onLoadOlder={vi.fn()}
      onSend={onSend}
      onUpload={onUpload}
    />,
  );
  return { onUpload, onSend };
}

const choose = (file: File) =>
  fireEvent.change(screen.getByTestId('attach-file'), { target: { files: [file] } });
const sendButton = () => screen.getByTestId('send-media') as HTMLButtonElement;

/** An upload the test finishes by hand. */
function heldUpload() {
  let finish: (result: UploadResult) => void = () => undefined;
  let request: Parameters<MediaUploader>[0] | undefined;
  const onUpload: MediaUploader = (given) => {
    request = given;
    return new Promise((resolve) => {
      finish = resolve;
      given.signal?.addEventListener('abort', () => resolve({ ok: false, kind: 'cancelled' }));
    });
  };
  return { onUpload, finish: (result: UploadResult) => finish(result), request: () => request };
}

describe('sending a file', () => {
  it('refuses a file WhatsApp does not take, by field, and never uploads it', () => {
    const { onUpload } = pane();
    choose(fileOf('funny.gif', 'image/gif', 1000));
    const problems = screen.getByRole('alert');
    expect(problems.querySelector('[data-field="mime_type"]')?.textContent).toBe(
      'File type: WhatsApp does not take image/gif files. It takes AAC, AMR, MP3, M4A or OGG audio files; ' +
        'text, PDF, Excel, Word or PowerPoint documents; JPEG or PNG photos; WebP stickers; MP4 or 3GPP videos.',
    );
    expect(sendButton().disabled).toBe(true);
    fireEvent.submit(sendButton().form as HTMLFormElement);
    expect(onUpload).not.toHaveBeenCalled();
  });

  it('refuses a photo over 5 MB with the size in words, and never uploads it', () => {
    const { onUpload } = pane();
    choose(fileOf('big.jpg', 'image/jpeg', 6 * MB));
    expect(screen.getByRole('alert').querySelector('[data-field="size"]')?.textContent).toBe(
      'Size: 6 MB is too large: WhatsApp takes photos up to 5 MB.',
    );
    fireEvent.submit(sendButton().form as HTMLFormElement);
    expect(onUpload).not.toHaveBeenCalled();
  });

  it('refuses a file name longer than 240 characters before uploading', () => {
    const { onUpload } = pane();
    choose(fileOf(`${'n'.repeat(240)}.pdf`, 'application/pdf', 10));
    expect(screen.getByRole('alert').querySelector('[data-field="filename"]')?.textContent).toBe(
      'File name: at most 240 characters: rename the file.',
    );
    fireEvent.submit(sendButton().form as HTMLFormElement);
    expect(onUpload).not.toHaveBeenCalled();
  });

  it('holds a still sticker to 100 KB but an animated one to 500 KB', async () => {
    const { onUpload } = pane();
    choose(fileOf('still.webp', 'image/webp', 200 * 1024));
    expect(screen.getByRole('alert').textContent).toContain('still stickers up to 100 KB');
    // RIFF....WEBPVP8X, then the flags byte with the animation bit.
    const header = [...'RIFF\0\0\0\0WEBPVP8X\0\0\0\0'].map((c) => c.charCodeAt(0));
    const animated = new Uint8Array(200 * 1024);
    animated.set([...header, 0x02]);
    choose(new File([animated], 'moving.webp', { type: 'image/webp' }));
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    fireEvent.click(sendButton());
    await vi.waitFor(() =>
      expect(onUpload).toHaveBeenCalledWith(expect.objectContaining({ animated: true })),
    );
  });

  it('uploads with a progress bar, then sends a media reply with the caption and goes back to the composer', async () => {
    const held = heldUpload();
    const { onSend } = pane({ onUpload: held.onUpload });
    const file = fileOf('receipt.png', 'image/png', 4);
    choose(file);
    expect(screen.getByRole('form', { name: 'Send a file' })).toBeTruthy();
    expect(screen.getByAltText('Preview of receipt.png')).toBeTruthy();
    fireEvent.change(screen.getByTestId('media-caption-input'), { target: { value: ' My receipt ' } });
    fireEvent.click(sendButton());
    await vi.waitFor(() => expect(held.request()).toBeDefined());
    expect(held.request()).toMatchObject({ file, type: 'image', filename: 'receipt.png' });
    act(() => held.request()?.onProgress?.({ loaded: 1, total: 4 }));
    const bar = screen.getByTestId('upload-progress') as HTMLProgressElement;
    expect([bar.getAttribute('value'), bar.getAttribute('max')]).toEqual(['1', '4']);
    expect(screen.getByText(/Uploading 25 %/)).toBeTruthy();
    expect(sendButton().disabled).toBe(true);
    expect(onSend).not.toHaveBeenCalled();
    await act(async () => held.finish(success()));
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        kind: 'media',
        media_type: 'image',
        id: 'meta-media-1',
        caption: 'My receipt',
      }),
    );
    await vi.waitFor(() => expect(screen.getByRole('form', { name: 'Reply' })).toBeTruthy());
  });

  it('cancels an upload under way and sends nothing', async () => {
    const held = heldUpload();
    const { onSend } = pane({ onUpload: held.onUpload });
    choose(fileOf('clip.mp4', 'video/mp4', 10));
    fireEvent.click(sendButton());
    await vi.waitFor(() => expect(screen.getByTestId('upload-progress')).toBeTruthy());
    fireEvent.click(screen.getByText('Cancel upload'));
    expect(await screen.findByText('Upload cancelled.')).toBeTruthy();
    expect(held.request()?.signal?.aborted).toBe(true);
    expect(screen.queryByTestId('upload-progress')).toBeNull();
    expect(onSend).not.toHaveBeenCalled();
  });

  it('shows the server’s refusal by field', async () => {
    pane({
      onUpload: async () => ({
        ok: false,
        kind: 'http',
        status: 400,
        error: 'invalid_media',
        message: 'not a number this broker sends from',
        problems: [{ field: 'phone_number_id', message: 'not a number this broker sends from' }],
      }),
    });
    choose(fileOf('a.pdf', 'application/pdf', 10));
    fireEvent.click(sendButton());
    const field = await vi.waitFor(() => {
      const found = screen.getByRole('alert').querySelector('[data-field="phone_number_id"]');
      if (!found) throw new Error('not yet');
      return found;
    });
    expect(field.textContent).toBe('Business number: not a number this broker sends from');
  });

  it('sends a document with its file name, and does not upload again when the send is refused', async () => {
    const onSend = vi
      .fn<OnSend>()
      .mockResolvedValueOnce({ ok: false, message: 'Not sent: Connection dropped before the answer.' })
      .mockResolvedValueOnce({ ok: true });
    const { onUpload } = pane({ onSend });
    choose(fileOf('invoice.pdf', 'application/pdf', 10));
    fireEvent.click(sendButton());
    expect((await screen.findByRole('alert')).textContent).toContain('Connection dropped');
    fireEvent.click(sendButton());
    await vi.waitFor(() => expect(onSend).toHaveBeenCalledTimes(2));
    expect(onUpload).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenLastCalledWith({
      kind: 'media',
      media_type: 'document',
      id: 'meta-media-1',
      filename: 'invoice.pdf',
    });
  });

  it('offers no caption for audio, and sends OGG audio as a voice note when asked', async () => {
    const { onSend } = pane();
    choose(fileOf('note.ogg', 'audio/ogg', 10));
    expect(screen.queryByTestId('media-caption-input')).toBeNull();
    fireEvent.click(screen.getByLabelText('Send as a voice note'));
    fireEvent.click(sendButton());
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        kind: 'media',
        media_type: 'audio',
        id: 'meta-media-1',
        voice: true,
      }),
    );
  });

  it('takes a file dropped on the chat, and an image pasted from the clipboard', () => {
    pane();
    const chat = screen.getByRole('region', { name: /Chat with/ });
    const dropped = fileOf('dropped.jpg', 'image/jpeg', 10);
    fireEvent.dragEnter(chat, { dataTransfer: { types: ['Files'], files: [dropped] } });
    expect(screen.getByText('Drop the file to send it')).toBeTruthy();
    fireEvent.drop(chat, { dataTransfer: { types: ['Files'], files: [dropped] } });
    expect(screen.getByTestId('media-draft-file').textContent).toContain('dropped.jpg');
    expect(screen.queryByText('Drop the file to send it')).toBeNull();

    const pasted = fileOf('image.png', 'image/png', 10);
    fireEvent.paste(screen.getByTestId('media-caption-input'), {
      clipboardData: { files: [pasted], items: [], getData: () => '' },
    });
    expect(screen.getByTestId('media-draft-file').textContent).toContain('image.png');
    fireEvent.click(screen.getByText('Remove'));
    expect(screen.getByRole('form', { name: 'Reply' })).toBeTruthy();
  });

  it('leaves pasted text alone', () => {
    pane();
    const box = screen.getByLabelText('Message');
    fireEvent.paste(box, {
      clipboardData: { files: [fileOf('x.png', 'image/png', 1)], items: [], getData: () => 'Hello' },
    });
    expect(screen.queryByRole('form', { name: 'Send a file' })).toBeNull();
  });

  it('offers no file outside the 24-hour window', () => {
    render(
      <ChatPane
        conversation={conversation({ window_expires_at: '2026-01-10T11:00:00Z' })}
        messages={[]}
        hasOlder={false}
        now={now}
        onBack={vi.fn()}
        onLoadOlder={vi.fn()}
        onSend={vi.fn()}
        onUpload={vi.fn()}
      />,
    );
    expect((screen.getByTestId('attach-file') as HTMLInputElement).disabled).toBe(true);
    fireEvent.drop(screen.getByRole('region', { name: /Chat with/ }), {
      dataTransfer: { types: ['Files'], files: [fileOf('a.jpg', 'image/jpeg', 1)] },
    });
    expect(screen.queryByRole('form', { name: 'Send a file' })).toBeNull();
  });
});
