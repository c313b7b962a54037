import type { OperatorReply, OperatorTemplate, TemplateReply } from '@wa-broker/shared/operator-protocol';
import { useId, useState } from 'react';
import type { SendResult } from '../hooks/use-inbox.js';
import { checkReply } from './reply-check.js';
import { TemplatePreview, type TemplateValues } from './template-preview.js';

export interface TemplatePickerProps {
  /** The approved templates of the conversation's number; undefined while they load. */
  templates: OperatorTemplate[] | undefined;
  onSend: (reply: OperatorReply) => Promise<SendResult>;
  /** Offered when the list cannot help (no templates known): the hand-typed form. */
  onTypeByHand?: () => void;
}

const emptyValues: TemplateValues = { header: {}, body: {} };
const keyOf = (template: { name: string; language: string }) => `${template.name}/${template.language}`;

/** What the picker cannot fill: a media header or a button that takes a parameter (sent through the API). */
function unsupportedPart(template: OperatorTemplate): string | null {
  const header = template.parameters.header;
  if (header && header.format !== 'TEXT') return `a ${header.format.toLowerCase()} header`;
  if (template.parameters.buttons.length > 0) return 'a button that takes a value';
  return null;
}

/** The reply for the chosen template: values in the order the template uses its variables, named if it names them. */
export function templateReplyFor(template: OperatorTemplate, values: TemplateValues): TemplateReply {
  const headerNames = template.parameters.header?.format === 'TEXT' ? template.parameters.header.names : [];
  const bodyNames = template.parameters.body.names;
  const named = template.parameter_format === 'NAMED';
  return {
    kind: 'template',
    name: template.name,
    language: template.language,
    body_parameters: bodyNames.map((name) => values.body[name]?.trim() ?? ''),
    ...(headerNames.length > 0
      ? { header_parameters: headerNames.map((name) => values.header[name]?.trim() ?? '') }
      : {}),
    ...(named
      ? {
          parameter_names: {
            ...(headerNames.length > 0 ? { header: headerNames } : {}),
            ...(bodyNames.length > 0 ? { body: bodyNames } : {}),
          },
        }
      : {}),
  };
}

/**
 * The approved templates of the conversation's number (search by name), and for the chosen one an input per
 * variable with a live preview; Send once every variable has a value. The backend's refusals by field
 * (`body_parameters[1]`, `name`) are shown by the inputs they are about.
 */
export function TemplatePicker({ templates, onSend, onTypeByHand }: TemplatePickerProps) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const [values, setValues] = useState<TemplateValues>(emptyValues);
  const [issues, setIssues] = useState<{ path: string; message: string }[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [isSending, setSending] = useState(false);

  const approved = (templates ?? []).filter((template) => template.status === 'APPROVED');
  const chosen = chosenKey ? approved.find((template) => keyOf(template) === chosenKey) : undefined;
  const shown = approved.filter((template) => template.name.includes(search.trim().toLowerCase()));

  const choose = (key: string | null) => {
    setChosenKey(key);
    setValues(emptyValues);
    setIssues([]);
    setFailure(null);
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

  const reply = templateReplyFor(chosen, values);
  const headerNames = reply.header_parameters ? (chosen.parameters.header?.names ?? []) : [];
  const bodyNames = chosen.parameters.body.names;
  const unsupported = unsupportedPart(chosen);
  const complete = [...(reply.header_parameters ?? []), ...reply.body_parameters].every(Boolean);
  const issuesAt = (part: 'header_parameters' | 'body_parameters', index: number, count: number) =>
    issues.filter(
      (issue) => issue.path === `${part}[${index}]` || (issue.path === part && index === count - 1),
    );
  const otherIssues = issues.filter((issue) => !/^(header|body)_parameters/.test(issue.path));

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

  const input = (part: 'header' | 'body', name: string, index: number, count: number) => {
    const field = part === 'header' ? 'header_parameters' : 'body_parameters';
    const problems = issuesAt(field, index, count);
    const id = `${searchId}-${part}-${name}`;
    return (
      <div className="field" key={`${part}-${name}`}>
        <label htmlFor={id}>
          {part === 'header' ? 'Header ' : ''}
          {`{{${name}}}`}
        </label>
        <input
          id={id}
          type="text"
          maxLength={1024}
          data-testid="template-param-input"
          data-param={part === 'header' ? `header.${name}` : name}
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
      <TemplatePreview template={chosen} values={values} />
      <div className="builder">
        {headerNames.map((name, index) => input('header', name, index, headerNames.length))}
        {bodyNames.map((name, index) => input('body', name, index, bodyNames.length))}
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
          disabled={!complete || Boolean(unsupported) || isSending}
          onClick={() => void send()}
        >
          {isSending ? 'Sending…' : 'Send template'}
        </button>
      </div>
    </div>
  );
}
