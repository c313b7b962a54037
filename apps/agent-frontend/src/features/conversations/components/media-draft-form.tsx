import { metaLimits } from '@wa-broker/shared/meta-limits';
import { baseMimeType } from '@wa-broker/shared/meta-media-rules';
import type { MetaMediaType } from '@wa-broker/shared/meta-media-types';
import type { OperatorReply } from '@wa-broker/shared/operator-protocol';
import { type FormEvent, useEffect, useState } from 'react';
import type { MediaUploader } from '../../../lib/media-upload.js';
import type { SendResult } from '../hooks/use-inbox.js';
import { type MediaSendPhase, useMediaSend } from '../hooks/use-media-send.js';
import { AttachButton } from './attach-button.js';
import { Field } from './field.js';
import { humanSize } from './format.js';
import { captionedTypes, checkFile, fieldLabels, isAnimatedWebp } from './media-file-check.js';
import { mediaLabels } from './media-message.js';
import type { FieldProblem } from './reply-check.js';

/** A file the operator chose, dropped, pasted or recorded, waiting to be sent. */
export interface Attachment {
  /** Tells two attachments of the same file apart (a new draft each time). */
  id: number;
  file: File;
  /** Recorded in the browser: sent as a voice note unless the operator says otherwise. */
  voiceNote?: boolean;
}

export interface MediaDraftFormProps {
  attachment: Attachment;
  onUpload: MediaUploader;
  onSend: (reply: OperatorReply) => Promise<SendResult>;
  /** Removed, or sent. */
  onClose: () => void;
  /** Another file instead of this one. */
  onReplace: (file: File) => void;
  /** Told when the file starts and stops being uploaded and sent (no other file may replace it meanwhile). */
  onBusyChange?: (busy: boolean) => void;
}

/**
 * The file's preview, an optional caption (photos, videos, documents), the voice-note choice for OGG audio,
 * then Send: the file is checked against Meta's table first (nothing is uploaded while it fails), uploaded with
 * a progress bar and a cancel button, and sent as a `media` reply.
 */
export function MediaDraftForm({
  attachment,
  onUpload,
  onSend,
  onClose,
  onReplace,
  onBusyChange,
}: MediaDraftFormProps) {
  const { file } = attachment;
  const [animated, setAnimated] = useState(false);
  const [caption, setCaption] = useState('');
  const [voice, setVoice] = useState(Boolean(attachment.voiceNote));
  const sender = useMediaSend({ onUpload, onSend, onSent: onClose });
  useEffect(() => {
    let live = true;
    isAnimatedWebp(file)
      .then((value) => live && setAnimated(value))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [file]);

  const check = checkFile(file, animated);
  const { type } = check;
  const canBeVoice = type === 'audio' && baseMimeType(file.type) === 'audio/ogg';
  const { phase } = sender;
  const busy = phase.kind !== 'idle';
  useEffect(() => {
    onBusyChange?.(busy);
    return () => onBusyChange?.(false);
  }, [busy, onBusyChange]);
  const problems = check.problems.length > 0 ? check.problems : sender.problems;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!type || check.problems.length > 0 || busy) return;
    void sender.send({ file, type, caption, voice: canBeVoice && voice, animated });
  };

  return (
    <form className="composer media-draft" aria-label="Send a file" onSubmit={submit}>
      <p className="media-draft-head">
        <strong>
          {type ? (type === 'audio' && canBeVoice && voice ? 'Voice note' : mediaLabels[type]) : 'File'}
        </strong>{' '}
        <span className="muted" data-testid="media-draft-file">
          {file.name || 'pasted file'} · {humanSize(file.size)}
        </span>
      </p>
      {type && <FilePreview file={file} type={type} />}
      {type && captionedTypes.has(type) && (
        <Field
          label="Caption"
          optional
          multiline
          value={caption}
          max={metaLimits.mediaCaption}
          onChange={setCaption}
          testId="media-caption-input"
        />
      )}
      {canBeVoice && (
        <label className="checkbox">
          <input type="checkbox" checked={voice} onChange={(event) => setVoice(event.target.checked)} />
          Send as a voice note
        </label>
      )}
      <Progress phase={phase} />
      {sender.notice && (
        <p className="muted" role="status">
          {sender.notice}
        </p>
      )}
      {problems.length > 0 && <Problems problems={problems} />}
      <div className="composer-actions">
        <AttachButton disabled={busy} onFile={onReplace} label="Another file" />
        {phase.kind === 'uploading' ? (
          <button type="button" className="link" onClick={sender.cancel}>
            Cancel upload
          </button>
        ) : (
          <button type="button" className="link" onClick={onClose} disabled={busy}>
            Remove
          </button>
        )}
        <button
          type="submit"
          className="primary"
          data-testid="send-media"
          disabled={busy || check.problems.length > 0}
        >
          {phase.kind === 'uploading' ? 'Uploading…' : phase.kind === 'sending' ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}

/** An upload's progress bar (and `Uploaded, sending…` after it). */
export function Progress({ phase }: { phase: MediaSendPhase }) {
  if (phase.kind === 'sending')
    return (
      <p className="muted" role="status">
        Uploaded, sending…
      </p>
    );
  if (phase.kind !== 'uploading') return null;
  const percent = phase.total > 0 ? Math.min(100, Math.round((phase.loaded / phase.total) * 100)) : 0;
  return (
    <div className="upload-progress">
      <progress
        data-testid="upload-progress"
        aria-label="Upload progress"
        value={phase.loaded}
        max={Math.max(phase.total, 1)}
      />
      <span className="muted">
        Uploading {percent} % ({humanSize(phase.loaded)} of {humanSize(phase.total)})
      </span>
    </div>
  );
}

function Problems({ problems }: { problems: FieldProblem[] }) {
  return (
    <ul className="problems" role="alert" data-testid="media-problems">
      {problems.map((problem) => (
        <li key={`${problem.field}:${problem.message}`} data-field={problem.field}>
          {fieldLabels[problem.field] ? <strong>{fieldLabels[problem.field]}: </strong> : null}
          {problem.message}
        </li>
      ))}
    </ul>
  );
}

/** The file itself before it is sent, from a local object URL. */
export function FilePreview({ file, type }: { file: File; type: MetaMediaType }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (type === 'document' || typeof URL.createObjectURL !== 'function') return;
    const local = URL.createObjectURL(file);
    setUrl(local);
    return () => URL.revokeObjectURL(local);
  }, [file, type]);
  if (type === 'document' || !url)
    return (
      <p className="media-document">
        <span aria-hidden="true">📄</span> {file.name}
      </p>
    );
  if (type === 'image' || type === 'sticker')
    return <img className={`media-${type} media-preview`} src={url} alt={`Preview of ${file.name}`} />;
  if (type === 'video')
    // biome-ignore lint/a11y/useMediaCaption: a preview of the operator's own file
    return <video className="media-video media-preview" src={url} controls aria-label="Preview" />;
  // biome-ignore lint/a11y/useMediaCaption: a preview of the operator's own file
  return <audio src={url} controls aria-label="Preview" />;
}
