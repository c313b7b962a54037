import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MediaUploader, UploadResult } from '../../../lib/media-upload.js';
import { ChatPane } from '../components/chat-pane.js';
import { conversation, now } from './fixtures.js';

/** Records whatever the test says was heard. */
class FakeRecorder {
  static instances: FakeRecorder[] = [];
  static isTypeSupported = (type: string) => type === 'audio/ogg; codecs=opus';
  state = 'inactive';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  constructor(
    readonly stream: unknown,
    readonly options: { mimeType: string },
  ) {
    FakeRecorder.instances.push(this);
  }
  start() {
    this.state = 'recording';
  }
  stop() {
    this.state = 'inactive';
    this.ondataavailable?.({
      data: new Blob([new Uint8Array([79, 103, 103, 83])], { type: this.options.mimeType }),
    });
    this.onstop?.();
  }
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  FakeRecorder.instances = [];
});

function pane() {
  const onUpload = vi.fn<MediaUploader>(
    async (): Promise<UploadResult> => ({
      ok: true,
      media: {
        id: 'voice-1',
        phone_number_id: '111',
        type: 'audio',
        mime_type: 'audio/ogg',
        filename: 'voice.ogg',
        size: 4,
        sha256: 'x',
        path: '/v1/media/111/voice-1',
      },
    }),
  );
  const onSend = vi.fn().mockResolvedValue({ ok: true });
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

describe('recording a voice note', () => {
  it('says so when the browser cannot record OGG/Opus', () => {
    vi.stubGlobal('MediaRecorder', { isTypeSupported: () => false });
    pane();
    fireEvent.click(screen.getByTestId('record-voice'));
    expect(screen.getByRole('status').textContent).toContain('This browser cannot record voice notes');
  });

  it('records the microphone as OGG/Opus and sends it as a voice note', async () => {
    const track = { stop: vi.fn() };
    const getUserMedia = vi.fn().mockResolvedValue({ getTracks: () => [track] });
    vi.stubGlobal('MediaRecorder', FakeRecorder);
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia } });
    const { onUpload, onSend } = pane();
    fireEvent.click(screen.getByTestId('record-voice'));
    expect(await screen.findByText('Recording 0:00')).toBeTruthy();
    expect(getUserMedia).toHaveBeenCalledWith({ audio: { channelCount: 1 } });
    expect(FakeRecorder.instances[0]?.options.mimeType).toBe('audio/ogg; codecs=opus');

    act(() => screen.getByTestId('stop-recording').click());
    expect(track.stop).toHaveBeenCalled();
    expect(screen.getByRole('form', { name: 'Send a file' }).textContent).toContain('Voice note');
    expect((screen.getByLabelText('Send as a voice note') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId('send-media'));
    await vi.waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({ kind: 'media', media_type: 'audio', id: 'voice-1', voice: true }),
    );
    const sent = onUpload.mock.calls[0]?.[0];
    if (!sent) throw new Error('nothing was uploaded');
    expect(sent.type).toBe('audio');
    expect(sent.file.type).toBe('audio/ogg; codecs=opus');
    expect((sent.file as File).name).toMatch(/^voice-note-.*\.ogg$/);
  });

  it('throws a discarded recording away', async () => {
    vi.stubGlobal('MediaRecorder', FakeRecorder);
    vi.stubGlobal('navigator', {
      ...navigator,
      mediaDevices: { getUserMedia: vi.fn().mockResolvedValue({ getTracks: () => [] }) },
    });
    pane();
    fireEvent.click(screen.getByTestId('record-voice'));
    const discard = await screen.findByText('Discard');
    act(() => discard.click());
    expect(screen.queryByRole('form', { name: 'Send a file' })).toBeNull();
    expect(screen.getByTestId('record-voice')).toBeTruthy();
  });
});
