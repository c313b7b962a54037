import { useEffect, useRef, useState } from 'react';

/** What WhatsApp plays as a voice note: OGG with the Opus codec, mono. */
export const voiceNoteMimeType = 'audio/ogg; codecs=opus';

export type RecorderState =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'recording'; startedAt: number }
  | { kind: 'unsupported' }
  | { kind: 'failed'; message: string };

/** Whether this browser can record what WhatsApp takes as a voice note (Firefox can; Chrome records WebM only). */
export function canRecordVoiceNotes(): boolean {
  return (
    typeof MediaRecorder !== 'undefined' &&
    typeof MediaRecorder.isTypeSupported === 'function' &&
    MediaRecorder.isTypeSupported(voiceNoteMimeType) &&
    typeof navigator !== 'undefined' &&
    typeof navigator.mediaDevices?.getUserMedia === 'function'
  );
}

/**
 * Records the microphone as OGG/Opus and hands over the file on stop; cancel throws the recording away. The
 * microphone is released when the recording ends or the component goes away.
 */
export function useVoiceRecorder(onRecorded: (file: File) => void) {
  const [state, setState] = useState<RecorderState>({ kind: 'idle' });
  const recorder = useRef<MediaRecorder | null>(null);
  const keep = useRef(true);
  const done = useRef(onRecorded);
  done.current = onRecorded;
  useEffect(
    () => () => {
      keep.current = false;
      if (recorder.current?.state === 'recording') recorder.current.stop();
    },
    [],
  );

  const start = async () => {
    if (!canRecordVoiceNotes()) {
      setState({ kind: 'unsupported' });
      return;
    }
    setState({ kind: 'starting' });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    } catch (error) {
      const denied = error instanceof DOMException && error.name === 'NotAllowedError';
      setState({
        kind: 'failed',
        message: denied
          ? 'The browser did not allow the microphone.'
          : `The microphone could not be opened${error instanceof Error ? ` (${error.message})` : ''}.`,
      });
      return;
    }
    const chunks: Blob[] = [];
    const next = new MediaRecorder(stream, { mimeType: voiceNoteMimeType, audioBitsPerSecond: 32_000 });
    next.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    next.onstop = () => {
      for (const track of stream.getTracks()) track.stop();
      recorder.current = null;
      setState({ kind: 'idle' });
      if (!keep.current || chunks.length === 0) return;
      const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
      done.current(new File(chunks, `voice-note-${stamp}.ogg`, { type: voiceNoteMimeType }));
    };
    recorder.current = next;
    keep.current = true;
    next.start();
    setState({ kind: 'recording', startedAt: Date.now() });
  };

  const stop = (keepIt: boolean) => {
    keep.current = keepIt;
    recorder.current?.stop();
  };

  return { state, start, stop: () => stop(true), cancel: () => stop(false) };
}
