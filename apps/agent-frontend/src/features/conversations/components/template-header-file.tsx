import { useId } from 'react';
import type { MediaSendPhase } from '../hooks/use-media-send.js';
import type { HeaderMediaType } from '../hooks/use-template-header-upload.js';
import { humanSize } from './format.js';
import { Progress } from './media-draft-form.js';
import { fieldLabels, headerAccept } from './media-file-check.js';
import type { FieldProblem } from './reply-check.js';

export interface TemplateHeaderFileProps {
  type: HeaderMediaType;
  file: File | null;
  phase: MediaSendPhase;
  /** Uploaded: the media id the reply will carry. */
  isUploaded: boolean;
  /** The file's problems and the backend's refusals of `header_media`. */
  problems: FieldProblem[];
  notice: string | null;
  onFile: (file: File | null) => void;
  onCancel: () => void;
}

const labels: Record<HeaderMediaType, string> = { image: 'photo', video: 'video', document: 'document' };

/** The file input of a template's image, video or document header, with its upload's progress and problems. */
export function TemplateHeaderFile(props: TemplateHeaderFileProps) {
  const { type, file, phase, isUploaded, problems, notice } = props;
  const id = useId();
  return (
    <div className="field template-header-file">
      <label htmlFor={id}>Header {labels[type]}</label>
      <input
        id={id}
        type="file"
        accept={headerAccept(type)}
        data-testid="template-header-file"
        aria-invalid={problems.length > 0 || undefined}
        disabled={phase.kind === 'uploading'}
        onChange={(event) => {
          props.onFile(event.target.files?.[0] ?? null);
          // The same file chosen again after a refusal is a new choice.
          event.target.value = '';
        }}
      />
      {file && (
        <span className="muted" data-testid="template-header-file-name">
          {file.name} · {humanSize(file.size)}
          {isUploaded ? ' · uploaded' : ''}
        </span>
      )}
      <Progress phase={phase} />
      {phase.kind === 'uploading' && (
        <button type="button" className="link" onClick={props.onCancel}>
          Cancel upload
        </button>
      )}
      {notice && (
        <span className="muted" role="status">
          {notice}
        </span>
      )}
      {problems.map((problem) => (
        <span key={`${problem.field}:${problem.message}`} className="field-problem" role="alert">
          {fieldLabels[problem.field] ? `${fieldLabels[problem.field]}: ` : ''}
          {problem.message}
        </span>
      ))}
    </div>
  );
}
