import type { OperatorReply, OperatorTemplate } from '@wa-broker/shared/operator-protocol';
import { useId, useState } from 'react';
import type { MediaUploader } from '../../../lib/media-upload.js';
import type { SendResult } from '../hooks/use-inbox.js';
import { useTemplateHeaderUpload } from '../hooks/use-template-header-upload.js';
import { checkReply } from './reply-check.js';
import { TemplateHeaderFile } from './template-header-file.js';
import { TemplatePreview, type TemplateValues } from './template-preview.js';
import { headerMediaTypeOf, templateReplyFor, unsupportedPart } from './template-reply.js';

export interface TemplatePickerProps {
  /** The approved templates of the conversation's number; undefined while they load. */
  templates: OperatorTemplate[] | undefined;
  onSend: (reply: OperatorReply) => Promise<SendResult>;
  /** The inbox's uploader (`POST /api/media`), for a template's image, video or document header. */
  onUpload?: MediaUploader;
  /** Offered when the list cannot help (no templates known): the hand-typed form. */
  onTypeByHand?: () => void;
}

type Part = 'header' | 'body' | 'buttons';
const emptyValues: TemplateValues = { header: {}, body: {}, buttons: {} };
const keyOf = (template: { name: string; language: string }) => `${template.name}/${template.language}`;
/** The reply's fields shown by their own input; any other issue is listed above Send. */
const inputPaths = /^(header_parameters|body_parameters|header_media$|button_parameters\[)/;

/**
 * The approved templates of the conversation's number (search by name), and for the chosen one an input per
 * variable, a file input for a media header (uploaded at once) and an input per button that takes a value, with
 * a live preview; Send once all are given. The backend's refusals by field (`body_parameters[1]`,
 * `header_media`, `button_parameters[0]`, `name`) are shown by the inputs they are about.
 */
export function TemplatePicker({ templates, onSend, onUpload, onTypeByHand }: TemplatePickerProps) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const [values, setValues] = useState<TemplateValues>(emptyValues);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);
  const header = useTemplateHeaderUpload(onUpload);

  const approved = (templates ?? []).filter((template) => template.status === 'APPROVED');
  const chosen = chosenKey ? approved.find((template) => keyOf(template) === chosenKey) : undefined;
  const shown = approved.filter((template) => template.name.includes(search.trim().toLowerCase()));

  const choose = (key: string | null) => {
    setChosenKey(key);
    setValues(emptyValues);
    setIssues([]);
    setFailure(null);
    header.reset();
  };

  if (templates === undefined) return <p className="muted">Loading the approved templates…</p>;

  if (chosenKey && !chosen)
    return (
      <div className="template-picker" data-testid="template-picker">
        <p className="notice" role="alert">
          “{chosenKey}” is no longer approved: it was paused or removed. Choose another.
        </p>
        <button type="button" className="link" onClick={() => choose(null)}>
          ← All templates
        </button>
      </div>
    );

  if (!chosen)
    return (
      <div className="template-picker" data-testid="template-picker">
        <label htmlFor={searchId} className="sr-only">
          Search templates
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search templates by name"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        {approved.length === 0 ? (
          <p className="muted">No approved templates are known for this conversation’s number.</p>
        ) : shown.length === 0 ? (
          <p className="muted">No template matches “{search}”.</p>
        ) : (
          <ul className="template-options" aria-label="Approved templates">
            {shown.map((template) => (
              <li key={keyOf(template)}>
                <button
                  type="button"
                  className="template-option"
                  data-testid="template-option"
                  data-template-name={template.name}
                  data-language={template.language}
                  onClick={() => choose(keyOf(template))}
                >
                  <span className="template-option-name">{template.name}</span>
                  <span className="muted">{template.language}</span>
                  <span className={`chip category-${template.category.toLowerCase()}`}>
                    {template.category.toLowerCase()}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {onTypeByHand && (
          <button type="button" className="link" onClick={onTypeByHand}>
            Type a template name by hand
          </button>
        )}
      </div>
    );

  const headerType = headerMediaTypeOf(chosen);
  const reply = templateReplyFor(chosen, values, headerType ? header.media : null);
  const headerNames = reply.header_parameters ? (chosen.parameters.header?.names ?? []) : [];
  const bodyNames = chosen.parameters.body.names;
  const valueButtons = chosen.parameters.buttons;
  const buttonLabels = chosen.components.find((component) => component.type === 'BUTTONS')?.buttons ?? [];
  const unsupported = unsupportedPart(chosen);
  const texts = [
    ...(reply.header_parameters ?? []),
    ...reply.body_parameters,
    ...(reply.button_parameters ?? []).map((button) => button.text),
  ];
  const complete = texts.every(Boolean) && (!headerType || Boolean(reply.header_media));
  const issuesAt = (part: Part, index: number, count: number) => {
    if (part === 'buttons') return issues.filter((issue) => issue.path === `button_parameters[${index}]`);
    const field = part === 'header' ? 'header_parameters' : 'body_parameters';
    return issues.filter(
      (issue) => issue.path === `${field}[${index}]` || (issue.path === field && index === count - 1),
    );
  };
  const headerProblems = [
    ...header.problems,
    ...issues
      .filter((issue) => issue.path === 'header_media')
      .map((issue) => ({ field: 'header_media', message: issue.message })),
  ];
  const otherIssues = issues.filter((issue) => !inputPaths.test(issue.path));

  const send = async () => {
    const checked = checkReply(reply);
    if ('problems' in checked) {
      setFailure(checked.problems.map((problem) => problem.message).join('; '));
      return;
    }
    setSending(true);
    const result = await onSend(checked.reply);
    setSending(false);
    if (result.ok) return choose(null);
    setFailure(result.message);
    setIssues(result.issues ?? []);
  };

  const labelOf = (part: Part, name: string) => {
    if (part !== 'buttons') return `${part === 'header' ? 'Header ' : ''}{{${name}}}`;
    const button = valueButtons.find((each) => String(each.index) === name);
    const text = buttonLabels[Number(name)]?.text;
    return button?.type === 'COPY_CODE'
      ? `Button “${text ?? 'Copy code'}”: code`
      : `Button “${text ?? 'link'}”: end of the link`;
  };
  const input = (part: Part, name: string, index: number, count: number) => {
    const problems = issuesAt(part, index, count);
    const id = `${searchId}-${part}-${name}`;
    const param = part === 'header' ? `header.${name}` : part === 'buttons' ? `button.${name}` : name;
    return (
      <div className="field" key={`${part}-${name}`}>
        <label htmlFor={id}>{labelOf(part, name)}</label>
        <input
          id={id}
          type="text"
          maxLength={1024}
          data-testid="template-param-input"
          data-param={param}
          aria-invalid={problems.length > 0 || undefined}
          value={values[part][name] ?? ''}
          onChange={(event) =>
            setValues((current) => ({
              ...current,
              [part]: { ...current[part], [name]: event.target.value.slice(0, 1024) },
            }))
          }
        />
        {problems.map((problem) => (
          <span key={problem.message} className="field-problem" role="alert">
            {problem.message}
          </span>
        ))}
      </div>
    );
  };

  return (
    <div className="template-picker" data-testid="template-picker">
      <div className="template-chosen">
        <button type="button" className="link" onClick={() => choose(null)}>
          ← All templates
        </button>
        <strong>{chosen.name}</strong>
        <span className="muted">{chosen.language}</span>
        <span className="chip">{chosen.category.toLowerCase()}</span>
      </div>
      <TemplatePreview template={chosen} values={values} headerFile={headerType ? header.file : null} />
      <div className="builder">
        {headerType && (
          <TemplateHeaderFile
            type={headerType}
            file={header.file}
            phase={header.phase}
            isUploaded={Boolean(header.media)}
            problems={headerProblems}
            notice={header.notice}
            onFile={(file) => {
              setIssues((current) => current.filter((issue) => issue.path !== 'header_media'));
              void header.choose(file, headerType);
            }}
            onCancel={header.cancel}
          />
        )}
        {headerNames.map((name, index) => input('header', name, index, headerNames.length))}
        {bodyNames.map((name, index) => input('body', name, index, bodyNames.length))}
        {valueButtons.map((button, position) =>
          input('buttons', String(button.index), position, valueButtons.length),
        )}
      </div>
      {unsupported && (
        <p className="notice">This template needs {unsupported}: send it through the API instead.</p>
      )}
      {(failure || otherIssues.length > 0) && (
        <ul className="problems" role="alert">
          {failure && <li>{failure}</li>}
          {otherIssues.map((issue) => (
            <li key={`${issue.path}${issue.message}`}>{issue.message}</li>
          ))}
        </ul>
      )}
      <div className="composer-actions">
        <button
          type="button"
          className="primary"
          data-testid="send-template"
          disabled={!complete || Boolean(unsupported) || isSending || header.phase.kind !== 'idle'}
          onClick={() => void send()}
        >
          {isSending ? 'Sending…' : 'Send template'}
        </button>
      </div>
    </div>
  );
}
