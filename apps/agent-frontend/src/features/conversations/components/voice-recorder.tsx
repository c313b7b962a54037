import { useNow } from '../hooks/use-now.js';
import { type RecorderState, useVoiceRecorder } from '../hooks/use-voice-recorder.js';

/** Record a voice note in the browser; the recording becomes a draft like an attached file. */
export function VoiceRecorder({
  disabled,
  onRecorded,
}: {
  disabled: boolean;
  onRecorded: (file: File) => void;
}) {
  const recorder = useVoiceRecorder(onRecorded);
  const { state } = recorder;
  if (state.kind === 'recording')
    return (
      <span className="recorder" role="status">
        <span className="recording-dot" aria-hidden="true" />
        <Elapsed since={state.startedAt} />
        <button type="button" className="link" data-testid="stop-recording" onClick={recorder.stop}>
          Stop
        </button>
        <button type="button" className="link" onClick={recorder.cancel}>
          Discard
        </button>
      </span>
    );
  return (
    <span className="recorder">
      <button
        type="button"
        className="link"
        data-testid="record-voice"
        disabled={disabled || state.kind === 'starting'}
        onClick={() => void recorder.start()}
      >
        <span aria-hidden="true">🎤</span>{' '}
        {state.kind === 'starting' ? 'Opening the microphone…' : 'Voice note'}
      </button>
      <Trouble state={state} />
    </span>
  );
}

function Elapsed({ since }: { since: number }) {
  const now = useNow(500);
  const seconds = Math.max(0, Math.floor((now.getTime() - since) / 1000));
  return (
    <span>
      Recording {Math.floor(seconds / 60)}:{String(seconds % 60).padStart(2, '0')}
    </span>
  );
}

function Trouble({ state }: { state: RecorderState }) {
  if (state.kind === 'unsupported')
    return (
      <span className="recorder-trouble" role="status">
        This browser cannot record voice notes as WhatsApp plays them (OGG/Opus): attach an audio file
        instead.
      </span>
    );
  if (state.kind === 'failed')
    return (
      <span className="recorder-trouble" role="status">
        {state.message}
      </span>
    );
  return null;
}
